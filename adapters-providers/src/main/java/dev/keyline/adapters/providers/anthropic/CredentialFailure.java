package dev.keyline.adapters.providers.anthropic;

/**
 * A deployment's credentials could not be turned into a signed or authorised call: its role was not assumed, its
 * token was not minted. Its message names the deployment and what failed, never a secret; the call is not made,
 * and the failure is that deployment's (401 class), like a refused key.
 */
public final class CredentialFailure extends Exception {

    public CredentialFailure(String message) {
        super(message, null, false, false);
    }
}
