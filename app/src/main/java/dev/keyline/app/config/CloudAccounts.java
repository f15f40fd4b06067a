package dev.keyline.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyline.domain.deployment.AuthScheme;
import dev.keyline.domain.deployment.Credentials;
import dev.keyline.domain.deployment.Endpoint;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a cloud deployment's own account ({@code bedrock/}: {@code aws_*}; {@code vertex_ai/}: {@code vertex_*}) into
 * where it goes and what authenticates it. Every piece must be the deployment's own: a missing key stops start-up,
 * since a cloud SDK would fill the gap from the host (environment, profiles, metadata servers) and serve the
 * deployment as whoever the host is.
 */
final class CloudAccounts {

    static final Set<String> AWS_KEYS = Set.of(
            "aws_access_key_id",
            "aws_secret_access_key",
            "aws_session_token",
            "aws_region_name",
            "aws_role_name",
            "aws_session_name",
            "aws_bedrock_runtime_endpoint",
            "aws_sts_endpoint",
            "aws_profile_name",
            "aws_web_identity_token");
    static final Set<String> VERTEX_KEYS = Set.of("vertex_project", "vertex_location", "vertex_credentials");

    private static final String GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token";
    private static final String NEVER_AMBIENT =
            "Keyline never uses the host's cloud identity (environment, profiles, credential files, metadata servers)";

    private final ObjectMapper mapper = new ObjectMapper();

    /** Where a deployment goes and what authenticates it there. */
    record Access(Endpoint endpoint, Credentials credentials, AuthScheme scheme) {}

    /** {@code bedrock/}: a Bedrock API key (Bearer), or AWS keys that sign every call, maybe via an assumed role. */
    Access aws(ConfigNode params) {
        List<String> problems = new ArrayList<>();
        if (params.has("auth_scheme")) {
            problems.add(params.child("auth_scheme") + ": a bedrock deployment signs with its AWS keys, or sends its"
                    + " Bedrock API key as Bearer; there is no scheme to choose");
        }
        for (String unsupported : List.of("aws_profile_name", "aws_web_identity_token")) {
            if (params.has(unsupported)) {
                problems.add(params.child(unsupported) + ": not supported; name the deployment's own keys ("
                        + "aws_access_key_id and aws_secret_access_key, or api_key). " + NEVER_AMBIENT);
            }
        }
        Optional<String> region = params.text("aws_region_name").map(String::strip);
        if (region.isEmpty()) {
            problems.add(params.child("aws_region_name") + ": required for a bedrock deployment (Keyline never reads"
                    + " AWS_REGION)");
        }
        Optional<String> apiKey = params.secret("api_key");
        Optional<String> keyId = params.secret("aws_access_key_id").map(String::strip);
        Optional<String> secret = params.secret("aws_secret_access_key").map(String::strip);
        if (apiKey.isPresent() && (keyId.isPresent() || secret.isPresent())) {
            problems.add(params.path() + ": set api_key (a Bedrock API key) or aws_access_key_id and"
                    + " aws_secret_access_key, not both");
        } else if (apiKey.isEmpty() && (keyId.isEmpty() || secret.isEmpty())) {
            String missing = keyId.isEmpty() && secret.isEmpty()
                    ? "aws_access_key_id and aws_secret_access_key (or api_key, a Bedrock API key)"
                    : keyId.isEmpty() ? "aws_access_key_id" : "aws_secret_access_key";
            problems.add(params.path() + ": a bedrock deployment needs its own " + missing + "; " + NEVER_AMBIENT);
        }
        if (apiKey.isPresent() && params.has("aws_role_name")) {
            problems.add(
                    params.child("aws_role_name") + ": a role is assumed with AWS keys, not with a Bedrock API key");
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        String where = region.orElseThrow();
        Endpoint endpoint = endpoint(
                params,
                params.text("aws_bedrock_runtime_endpoint").or(() -> params.text("api_base")),
                "https://bedrock-runtime." + where + ".amazonaws.com");
        try {
            if (apiKey.isPresent()) {
                return new Access(endpoint, Credentials.of(apiKey.orElseThrow()), AuthScheme.BEARER);
            }
            Optional<Credentials> sessionToken =
                    params.secret("aws_session_token").map(Credentials::of);
            Optional<AuthScheme.AwsRole> role = params.text("aws_role_name")
                    .map(arn -> new AuthScheme.AwsRole(
                            arn.strip(),
                            params.text("aws_session_name").map(String::strip).orElse("keyline"),
                            params.text("aws_sts_endpoint")
                                    .map(sts -> Endpoint.parse(sts).base())
                                    .orElse(URI.create("https://sts." + where + ".amazonaws.com"))));
            return new Access(
                    endpoint,
                    Credentials.of(secret.orElseThrow()),
                    new AuthScheme.AwsSignature("bedrock", where, keyId.orElseThrow(), sessionToken, role));
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(params.path(), e.getMessage());
        }
    }

    /** {@code vertex_ai/}: tokens minted from the deployment's own service account key, for its project and location. */
    Access google(ConfigNode params) {
        if (params.has("auth_scheme")) {
            throw ConfigException.at(
                    params.child("auth_scheme"), "a vertex_ai deployment sends a token minted from its account");
        }
        if (params.has("api_key")) {
            throw ConfigException.at(
                    params.child("api_key"),
                    "a vertex_ai deployment authenticates with vertex_credentials, not api_key");
        }
        String credentials = params.secret("vertex_credentials")
                .orElseThrow(() -> ConfigException.at(
                        params.child("vertex_credentials"),
                        "required: the deployment's own service account key (JSON, or a path to it); "
                                + NEVER_AMBIENT));
        ObjectNode account = account(params, credentials.strip());
        String email = account.path("client_email").asText("");
        Optional<String> project = params.text("vertex_project")
                .map(String::strip)
                .or(() -> Optional.of(account.path("project_id").asText("")).filter(p -> !p.isBlank()));
        String location = params.text("vertex_location")
                .map(String::strip)
                .orElseThrow(() -> ConfigException.at(
                        params.child("vertex_location"), "required: the region (or global) that serves the model"));
        if (project.isEmpty()) {
            throw ConfigException.at(params.child("vertex_project"), "required (the key names no project_id)");
        }
        if (!location.matches("[a-z0-9-]+") || !project.orElseThrow().matches("[a-z0-9][a-z0-9-]*")) {
            throw ConfigException.at(
                    params.path(),
                    "vertex_project and vertex_location must be ids such as" + " my-project and us-east5");
        }
        String host = location.equals("global")
                ? "https://aiplatform.googleapis.com"
                : "https://" + location + "-aiplatform.googleapis.com";
        Endpoint base = endpoint(params, params.text("api_base"), host);
        try {
            Endpoint endpoint = Endpoint.parse(base.base() + "/v1/projects/" + project.orElseThrow() + "/locations/"
                    + location + "/publishers/anthropic/models");
            URI tokenUri = URI.create(account.path("token_uri").asText(GOOGLE_TOKEN_URI));
            return new Access(
                    endpoint,
                    Credentials.of(mapper.writeValueAsString(account)),
                    new AuthScheme.MintedToken(email, tokenUri));
        } catch (IOException | IllegalArgumentException e) {
            throw ConfigException.at(params.child("vertex_credentials"), "unusable: " + e.getMessage());
        }
    }

    /** @return the service account key, read from the value itself or the file it names, checked for what minting needs */
    private ObjectNode account(ConfigNode params, String value) {
        String at = params.child("vertex_credentials");
        String json;
        if (value.startsWith("{")) {
            json = value;
        } else {
            try {
                json = Files.readString(Path.of(value));
            } catch (IOException | RuntimeException e) {
                throw ConfigException.at(
                        at, "names a file that cannot be read (" + e.getClass().getSimpleName() + ")");
            }
        }
        JsonNode account;
        try {
            account = mapper.readTree(json);
        } catch (IOException e) {
            throw ConfigException.at(at, "is not a service account key (not JSON)");
        }
        if (account == null
                || !account.isObject()
                || !account.path("type").asText().equals("service_account")) {
            throw ConfigException.at(at, "is not a service account key (its type must be service_account)");
        }
        for (String needed : List.of("client_email", "private_key")) {
            if (account.path(needed).asText("").isBlank()) {
                throw ConfigException.at(at, "the service account key has no " + needed);
            }
        }
        return (ObjectNode) account;
    }

    private static Endpoint endpoint(ConfigNode params, Optional<String> named, String standard) {
        try {
            return Endpoint.parse(named.map(String::strip).orElse(standard));
        } catch (IllegalArgumentException e) {
            throw ConfigException.at(params.path(), e.getMessage());
        }
    }
}
