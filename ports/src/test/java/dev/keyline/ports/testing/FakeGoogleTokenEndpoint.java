package dev.keyline.ports.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Google OAuth token endpoint on loopback that mints an access token only for a JWT-bearer assertion signed (RS256)
 * by the one service account it knows, checked with that account's public key: issued by the account, for Google's
 * token audience, with Vertex's scope. Its {@link #accountKey()} is that account's key file, {@code token_uri}
 * pointed here; {@link #strangerKey()} is another account's.
 */
public final class FakeGoogleTokenEndpoint implements AutoCloseable {

    public static final String ACCOUNT = "keyline@keyline-test.iam.gserviceaccount.com";

    private static final Pattern CLAIM = Pattern.compile("\"(iss|aud|scope)\"\\s*:\\s*\"([^\"]*)\"");

    // RSA key generation is slow (tenths of a second each); the kit makes an endpoint per run, so the keys are made
    // once per JVM. Every endpoint knows the one account; strangers and decoys have keys of their own.
    private static final KeyPair ACCOUNT_KEYS = rsa();
    private static final KeyPair STRANGER_KEYS = rsa();
    private static final KeyPair OTHER_KEYS = rsa();

    private final HttpServer server;
    private final KeyPair account = ACCOUNT_KEYS;
    private final Set<String> minted = ConcurrentHashMap.newKeySet();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private volatile String redirectTo;

    public FakeGoogleTokenEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/token", this::token);
        server.start();
    }

    /** @return the account's key file (JSON), its {@code token_uri} this endpoint */
    public String accountKey() {
        return keyFile(account, ACCOUNT, tokenUri());
    }

    /** @return a key file of an account this endpoint does not know, its {@code token_uri} this endpoint too */
    public String strangerKey() {
        return keyFile(STRANGER_KEYS, "stranger@elsewhere.iam.gserviceaccount.com", tokenUri());
    }

    /** @return a key file of another account, which no endpoint here knows, whose tokens are asked for at this URI */
    public static String keyFile(String email, String tokenUri) {
        return keyFile(OTHER_KEYS, email, tokenUri);
    }

    private String tokenUri() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
    }

    /** From now on every token request is answered with a redirect to this URL, as a hijacked endpoint might. */
    public void redirectTo(String url) {
        redirectTo = url;
    }

    /** @return whether this endpoint minted the token */
    public boolean minted(String token) {
        return minted.contains(token);
    }

    public int tokensMinted() {
        return minted.size();
    }

    /** @return why each refused request was refused */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void token(HttpExchange exchange) throws IOException {
        String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (redirectTo != null) {
            exchange.getResponseHeaders().add("location", redirectTo);
            exchange.sendResponseHeaders(307, -1);
            exchange.close();
            return;
        }
        String assertion = "";
        for (String pair : form.split("&")) {
            if (pair.startsWith("assertion=")) {
                assertion = URLDecoder.decode(pair.substring(10), StandardCharsets.UTF_8);
            }
        }
        if (!form.contains("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer") || !valid(assertion)) {
            refused.add("an assertion not signed by " + ACCOUNT);
            JsonReplies.send(
                    exchange, 400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid JWT Signature.\"}");
            return;
        }
        String token = "ya29.fake-" + (minted.size() + 1) + "-" + System.nanoTime();
        minted.add(token);
        JsonReplies.send(
                exchange, 200, "{\"access_token\":\"" + token + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    }

    private boolean valid(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return false;
        }
        try {
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(account.getPublic());
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return false;
            }
            String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            Matcher claim = CLAIM.matcher(claims);
            String iss = "";
            String aud = "";
            String scope = "";
            while (claim.find()) {
                switch (claim.group(1)) {
                    case "iss" -> iss = claim.group(2);
                    case "aud" -> aud = claim.group(2);
                    default -> scope = claim.group(2);
                }
            }
            // Google's audience for a JWT-bearer grant is its token URL, wherever the grant is posted.
            return iss.equals(ACCOUNT)
                    && aud.equals("https://oauth2.googleapis.com/token")
                    && scope.replace("\\/", "/").contains("https://www.googleapis.com/auth/cloud-platform");
        } catch (Exception e) {
            return false;
        }
    }

    private static String keyFile(KeyPair pair, String email, String tokenUri) {
        String pem = "-----BEGIN PRIVATE KEY-----\\n"
                + Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded())
                + "\\n-----END PRIVATE KEY-----\\n";
        return "{\"type\":\"service_account\",\"project_id\":\"keyline-test\",\"private_key_id\":\"k1\","
                + "\"private_key\":\"" + pem + "\",\"client_email\":\"" + email + "\",\"client_id\":\"1\","
                + "\"token_uri\":\"" + tokenUri + "\"}";
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
