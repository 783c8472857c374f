package dev.vestibule.router.http;

import dev.vestibule.router.operation.GraphQLErrors;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers Jetty makes itself (a request it cannot parse: 400; headers over its buffer: 431; a URI too long: 414;
 * 503 while shutting down; an exception that escaped a handler: 500) as GraphQL errors in JSON, like every other
 * answer of the router. Jetty's own pages are HTML, and name the exception that caused them.
 *
 * <p>The message is the router's own, by status: Jetty's reason can carry parts of the request or an exception text.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(JsonErrorHandler.class);

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Throwable cause = (Throwable) request.getAttribute(ERROR_EXCEPTION);
        if (cause instanceof HttpException http) status = http.getCode();
        if (status < 400) status = 500;
        if (HttpStatus.hasNoBody(status) || request.getMethod().equals("HEAD")) {
            response.setStatus(status);
            callback.succeeded();
            return true;
        }
        Map<String, Object> error;
        if (status >= 500 && status != 503) {
            String id = RequestIds.of(request);
            // an exception that escaped the handlers: the details go to the log under the request's id, never to the client
            LOG.error("request {} failed inside the router (HTTP {})", id, status, cause);
            error = ErrorBodies.internalError(id);
            response.getHeaders().put(RequestIds.HEADER, id);
        } else {
            error = GraphQLErrors.error(message(status), code(status));
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        // a request Jetty could not parse leaves the connection in an unknown state: it closes it after this answer
        ByteBuffer body = ByteBuffer.wrap(ErrorBodies.bytes(error));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
        response.write(true, body, callback);
        return true;
    }

    private static String message(int status) {
        return switch (status) {
            case 400 -> "the HTTP request is malformed";
            case 408 -> "the request did not arrive in time";
            case 413 -> "the request is too large";
            case 414 -> "the request URI is too long; send the query in a POST body";
            case 431 -> "the request's headers are too large";
            case 503 -> "the router is shutting down; retry on another instance";
            case 505 -> "the HTTP version is not supported; use HTTP/1.1";
            default -> "the request was refused: HTTP " + status + " " + HttpStatus.getMessage(status);
        };
    }

    private static String code(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 408 -> "REQUEST_TIMEOUT";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "REQUEST_HEADER_FIELDS_TOO_LARGE";
            case 503 -> "SHUTTING_DOWN";
            default -> "HTTP_" + status;
        };
    }
}
