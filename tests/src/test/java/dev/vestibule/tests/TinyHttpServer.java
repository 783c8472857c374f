package dev.vestibule.tests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A small HTTP/1.1 server on a raw socket bound to 127.0.0.1 (a free port), standing in for a subgraph that
 * misbehaves in a way the sample subgraphs cannot: one that accepts and never answers, one that answers bytes that
 * are not HTTP, one whose keep-alive connections are closed after a short idle time (as Node closes them after 5 s).
 */
final class TinyHttpServer implements AutoCloseable {

    /** What the server does with the requests of a connection. */
    sealed interface Behaviour {
        /** Accepts and reads nothing, answers nothing, until the server closes. */
        record Hang() implements Behaviour {}

        /** Reads the request, writes these bytes and closes the connection. */
        record Garbage(String bytes) implements Behaviour {}

        /**
         * Answers each request (HTTP 200, the JSON {@code answer} makes of it) and keeps the connection open for the
         * next one, closing it when none has started within {@code idle}. When {@code answer} gives null, the
         * connection is closed instead of answering (a server that went away after reading the request).
         */
        record KeepAlive(Duration idle, Function<Received, Object> answer) implements Behaviour {}
    }

    /** A request's JSON body and how many requests its connection carried before it. */
    record Received(JsonNode body, int before) {}

    private final ServerSocket listener;
    private final Behaviour behaviour;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong closedIdle = new AtomicLong();
    private final AtomicLong closedByClient = new AtomicLong();
    private volatile boolean closed;

    TinyHttpServer(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.listener = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("tiny-http-accept").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port() + "/graphql";
    }

    /** Connections accepted. */
    long connections() {
        return connections.get();
    }

    /** Requests answered with HTTP 200. */
    long answered() {
        return answered.get();
    }

    /** Keep-alive connections this server closed because no request came within the idle time. */
    long closedIdle() {
        return closedIdle.get();
    }

    /** Keep-alive connections the client closed while they were idle. */
    long closedByClient() {
        return closedByClient.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = listener.accept();
                connections.incrementAndGet();
                open.add(socket);
                Thread.ofVirtual().start(() -> serve(socket));
            } catch (IOException e) {
                if (!closed) throw new IllegalStateException("accept failed", e);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            switch (behaviour) {
                case Behaviour.Hang h -> {
                    while (!closed) Thread.sleep(50); // holds the connection, answers nothing
                }
                case Behaviour.Garbage g -> {
                    readRequest(in);
                    out.write(g.bytes().getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
                case Behaviour.KeepAlive k -> keepAlive(socket, in, out, k);
            }
        } catch (IOException | InterruptedException e) {
            // the client went away or the server is closing: nothing to answer
        } finally {
            open.remove(socket);
        }
    }

    private void keepAlive(Socket socket, InputStream in, OutputStream out, Behaviour.KeepAlive k) throws IOException {
        for (int before = 0; !closed; before++) {
            socket.setSoTimeout((int) k.idle().toMillis());
            int first;
            try {
                first = in.read();
            } catch (SocketTimeoutException e) {
                closedIdle.incrementAndGet(); // what Node does at its keepAliveTimeout: close, whoever may be sending
                return;
            }
            if (first < 0) {
                closedByClient.incrementAndGet();
                return;
            }
            socket.setSoTimeout(10_000); // the rest of a request that has begun
            byte[] body = readRequest(in, first);
            Object answer = k.answer().apply(new Received(FederatedGraph.JSON.readTree(body), before));
            if (answer == null) return; // read, and closed without a word
            byte[] json = FederatedGraph.JSON.writeValueAsBytes(answer);
            out.write(("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: " + json.length
                    + "\r\nconnection: keep-alive\r\nkeep-alive: timeout=" + k.idle().toSeconds() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(json);
            out.flush();
            answered.incrementAndGet();
        }
    }

    private static byte[] readRequest(InputStream in) throws IOException {
        int first = in.read();
        if (first < 0) throw new IOException("closed before a request");
        return readRequest(in, first);
    }

    /** Reads a request's head (from its first byte, already read) and its body (by content-length); returns the body. */
    private static byte[] readRequest(InputStream in, int first) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(first);
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed in a request's head");
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return in.readNBytes(length);
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
