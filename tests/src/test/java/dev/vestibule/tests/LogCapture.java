package dev.vestibule.tests;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What the router logs while a test runs, formatted as its console appender writes it (ConsoleLogConfigurator's
 * pattern; logback adds a stack trace after the line of an event that carries one), for tests that measure log volume.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final PatternLayout layout = new PatternLayout();
    private final Logger root;

    LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        layout.setContext(context);
        layout.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n");
        layout.start();
        setContext(context);
        setName("capture");
        start();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(this);
    }

    @Override
    protected synchronized void append(ILoggingEvent event) {
        lines.add(layout.doLayout(event));
    }

    synchronized List<String> entries() {
        return List.copyOf(lines);
    }

    synchronized long bytes() {
        return lines.stream().mapToLong(l -> l.getBytes(StandardCharsets.UTF_8).length).sum();
    }

    synchronized String text() {
        return String.join("", lines);
    }

    @Override
    public void close() {
        root.detachAppender(this);
        stop();
    }
}
