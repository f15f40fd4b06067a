package dev.keyline.adapters.providers.vertex;

import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP under Google's auth library, on the JDK's client, with redirects refused. A token endpoint that answered
 * 3xx would otherwise have the library post the service account's signed assertion (good for an hour of tokens) to
 * wherever it points; here the answer's {@code Location} is withheld, so the library takes the 3xx as a failure.
 */
final class RedirectRefusingTransport extends HttpTransport {

    private static final Duration CONNECT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT)
            .build();

    @Override
    protected LowLevelHttpRequest buildRequest(String method, String url) {
        return new Request(client, method, URI.create(url));
    }

    private static final class Request extends LowLevelHttpRequest {
        private final HttpClient client;
        private final String method;
        private final URI uri;
        private final List<String[]> headers = new ArrayList<>();
        private Duration readTimeout = Duration.ofSeconds(20);

        Request(HttpClient client, String method, URI uri) {
            this.client = client;
            this.method = method;
            this.uri = uri;
        }

        @Override
        public void addHeader(String name, String value) {
            headers.add(new String[] {name, value});
        }

        @Override
        public void setTimeout(int connectTimeout, int readTimeout) {
            if (readTimeout > 0) {
                this.readTimeout = Duration.ofMillis(readTimeout);
            }
        }

        @Override
        public LowLevelHttpResponse execute() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (getStreamingContent() != null) {
                getStreamingContent().writeTo(body);
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                    .timeout(readTimeout)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
            if (getContentType() != null) {
                request.header("content-type", getContentType());
            }
            for (String[] header : headers) {
                String name = header[0].toLowerCase(Locale.ROOT);
                // The JDK client sets these itself and refuses them from callers.
                if (!name.equals("content-length") && !name.equals("host") && !name.equals("connection")) {
                    request.header(header[0], header[1]);
                }
            }
            try {
                return new Response(client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while minting a token", e);
            }
        }
    }

    private static final class Response extends LowLevelHttpResponse {
        private final HttpResponse<byte[]> real;
        private final List<String[]> headers = new ArrayList<>();

        Response(HttpResponse<byte[]> real) {
            this.real = real;
            for (Map.Entry<String, List<String>> header : real.headers().map().entrySet()) {
                // Withheld, so the library never follows a redirect with the assertion.
                if (header.getKey().equalsIgnoreCase("location")) {
                    continue;
                }
                header.getValue().forEach(value -> headers.add(new String[] {header.getKey(), value}));
            }
        }

        @Override
        public InputStream getContent() {
            return new ByteArrayInputStream(real.body());
        }

        @Override
        public String getContentEncoding() {
            return real.headers().firstValue("content-encoding").orElse(null);
        }

        @Override
        public long getContentLength() {
            return real.body().length;
        }

        @Override
        public String getContentType() {
            return real.headers().firstValue("content-type").orElse(null);
        }

        @Override
        public String getStatusLine() {
            return "HTTP/1.1 " + real.statusCode();
        }

        @Override
        public int getStatusCode() {
            return real.statusCode();
        }

        @Override
        public String getReasonPhrase() {
            return "";
        }

        @Override
        public int getHeaderCount() {
            return headers.size();
        }

        @Override
        public String getHeaderName(int index) {
            return headers.get(index)[0];
        }

        @Override
        public String getHeaderValue(int index) {
            return headers.get(index)[1];
        }
    }
}
