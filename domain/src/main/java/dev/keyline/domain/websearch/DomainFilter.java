package dev.keyline.domain.websearch;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Applies {@code allowed_domains} / {@code blocked_domains} the way Anthropic documents them: an entry covers its
 * subdomains, may carry a path prefix ({@code example.com/blog}), and never a scheme.
 */
public final class DomainFilter {

    private DomainFilter() {}

    /**
     * @param hits    results from an engine
     * @param request the search, with its domain lists
     * @return the results the lists admit, in order
     */
    public static List<SearchHit> apply(List<SearchHit> hits, SearchRequest request) {
        return hits.stream()
                .filter(hit -> request.allowedDomains().isEmpty() || matchesAny(hit.url(), request.allowedDomains()))
                .filter(hit -> !matchesAny(hit.url(), request.blockedDomains()))
                .toList();
    }

    static boolean matchesAny(String url, List<String> entries) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (uri.getHost() == null) {
            return false;
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath();
        for (String entry : entries) {
            String normalized = entry.strip().toLowerCase(Locale.ROOT);
            int slash = normalized.indexOf('/');
            String domain = slash < 0 ? normalized : normalized.substring(0, slash);
            String prefix = slash < 0 ? "" : normalized.substring(slash).replace("*", "");
            boolean hostMatches = host.equals(domain) || host.endsWith("." + domain);
            if (hostMatches && path.toLowerCase(Locale.ROOT).startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
