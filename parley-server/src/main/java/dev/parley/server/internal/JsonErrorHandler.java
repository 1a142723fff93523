package dev.parley.server.internal;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Errors Jetty answers itself, before a request reaches the API (a malformed URI, a NUL byte in a path, a broken
 * header): in the API's JSON error shape instead of an HTML page, and never with a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {
    JsonErrorHandler() {
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String text = code == 400 ? "malformed request (" + (message == null ? "bad request" : LogText.escape(message)) + ")"
                : message == null ? "HTTP " + code : LogText.escape(message);
        String errorCode = code == 400 ? "invalid_request" : code == 404 ? "not_found" : code >= 500 ? "internal" : "http_" + code;
        String body = ErrorMapper.body(new ErrorMapper.Mapped(code, errorCode, text), null);
        response.getHeaders().put("Content-Type", "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
