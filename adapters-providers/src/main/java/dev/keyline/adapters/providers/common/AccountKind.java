package dev.keyline.adapters.providers.common;

/**
 * What identifies a deployment to its provider, which tells the configuration loader which settings to read: a key
 * ({@code api_key}), an AWS identity ({@code aws_*}), or a Google service account ({@code vertex_*}).
 */
public enum AccountKind {
    /** {@code api_key}, presented in a header. */
    API_KEY,
    /** AWS keys that sign each call ({@code aws_*}), or a Bedrock API key ({@code api_key}). */
    AWS,
    /** A service account whose key mints access tokens ({@code vertex_credentials}). */
    GOOGLE_SERVICE_ACCOUNT
}
