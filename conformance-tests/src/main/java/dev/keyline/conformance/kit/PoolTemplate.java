package dev.keyline.conformance.kit;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * A profile's template (Mustache, as Handlebars reads it: {@code {{name}}}, {@code {{#each list}}…{{/each}}},
 * {@code {{#if flag}}…{{/if}}}, {@code {{#unless @last}},{{/unless}}}), rendered over a {@link PoolView}. Nothing is
 * escaped: the output is YAML or JSON, not HTML, and the values the kit puts in are plain tokens.
 */
public final class PoolTemplate {

    private static final Handlebars HANDLEBARS =
            new Handlebars().with(EscapingStrategy.NOOP).prettyPrint(true);

    private final String source;
    private final Template template;

    /** @throws IllegalArgumentException with the parser's words, for a profile file's mistake */
    public PoolTemplate(String source) {
        this.source = source;
        try {
            this.template = HANDLEBARS.compileInline(source);
        } catch (IOException | RuntimeException e) {
            // Handlebars names an inline template by a hash; the line and column are what a profile's author needs.
            String why = String.valueOf(e.getMessage())
                    .replaceFirst("^inline@[0-9a-f]+:(\\d+):(\\d+): ", "line $1, column $2: ");
            throw new IllegalArgumentException(
                    "template does not parse: " + why.lines().findFirst().orElse(why), e);
        }
    }

    String render(Map<String, Object> view) {
        try {
            return template.apply(view);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
