package dev.keyline.app.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.Objects;
import java.util.Optional;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Says why a file is not YAML the way a person fixes it: the parser's problem and where, the line where the
 * construct it was reading began (an unclosed <code>{</code> is found lines later, at the next key), and a hint when
 * a line is indented with a tab. Never the offending line itself: it may hold a key.
 */
final class YamlProblems {

    private YamlProblems() {}

    static String describe(String source, String text, JsonProcessingException e) {
        StringBuilder message = new StringBuilder(source).append(" is not valid YAML");
        Optional<MarkedYAMLException> marked = marked(e);
        if (marked.isPresent() && marked.get().getProblem() != null) {
            MarkedYAMLException parse = marked.get();
            // "but got <scalar>" names the parser's token, not anything in the file a person would recognise.
            message.append(at(parse.getProblemMark()))
                    .append(": ")
                    .append(parse.getProblem().replaceFirst(", but got <[^>]*>$", ""));
            if (parse.getContext() != null && parse.getContextMark() != null) {
                message.append(" (")
                        .append(parse.getContext().replaceFirst("^while ", "").replaceFirst("^parsing ", "reading "))
                        .append(" that began")
                        .append(at(parse.getContextMark()))
                        .append(')');
            }
        } else {
            message.append(at(e.getLocation())).append(": ").append(firstLine(e));
        }
        firstTabIndentedLine(text)
                .ifPresent(line -> message.append("; line ")
                        .append(line)
                        .append(" is indented with a tab, and YAML indents with spaces only"));
        return message.toString();
    }

    private static Optional<MarkedYAMLException> marked(Throwable thrown) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                return Optional.of(marked);
            }
        }
        return Optional.empty();
    }

    /** @return the 1-based number of the first line whose indentation holds a tab */
    static Optional<Integer> firstTabIndentedLine(String text) {
        int number = 0;
        for (String line : text.split("\r\n|\r|\n", -1)) {
            number++;
            for (int i = 0; i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t'); i++) {
                if (line.charAt(i) == '\t') {
                    return Optional.of(number);
                }
            }
        }
        return Optional.empty();
    }

    private static String at(Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String at(JsonLocation location) {
        return location == null || location.getLineNr() < 1
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    // The full message quotes the offending line, which may hold a key; keep only the description.
    private static String firstLine(JsonProcessingException e) {
        String message = Objects.requireNonNullElse(e.getOriginalMessage(), "unreadable");
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
