package dev.keyline.app.logging;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.keyline.adapters.frontdoors.server.AccessLog;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One JSON object per log line ({@code litellm_settings.json_logs}): {@code time}, {@code level}, {@code logger} and
 * {@code message}, and a stack trace as {@code error}. The request and hop lines the front doors write to
 * {@code keyline.requests} are JSON objects already; their fields join the line's own instead of being quoted.
 */
public final class JsonLineFormatter extends Formatter {

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(256);
        line.append("{\"time\":\"")
                .append(record.getInstant())
                .append("\",\"level\":\"")
                .append(record.getLevel().getName())
                .append("\",\"logger\":\"");
        quote(line, record.getLoggerName() == null ? "" : record.getLoggerName());
        line.append('"');
        String message = formatMessage(record);
        if (AccessLog.JSON_LOGGER.equals(record.getLoggerName())
                && message.length() > 2
                && message.charAt(0) == '{'
                && message.charAt(message.length() - 1) == '}') {
            line.append(',').append(message, 1, message.length() - 1);
        } else {
            line.append(",\"message\":\"");
            quote(line, message);
            line.append('"');
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            try (PrintWriter out = new PrintWriter(trace)) {
                record.getThrown().printStackTrace(out);
            }
            line.append(",\"error\":\"");
            quote(line, trace.toString());
            line.append('"');
        }
        return line.append('}').append(System.lineSeparator()).toString();
    }

    /** Puts every handler of the root logger on JSON lines. */
    public static void useForAllHandlers() {
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            handler.setFormatter(new JsonLineFormatter());
        }
    }

    private static void quote(StringBuilder line, String text) {
        JsonStringEncoder.getInstance().quoteAsString(text, line);
    }
}
