package org.dhis2.sync.config;

/**
 * The configured credentials of the admin HTTP API: HTTP Basic user and password, and/or a bearer token. Empty
 * strings mean "not set". {@link #toString()} never shows a secret.
 */
public record AdminCredentials(String username, String password, String token) {

    /** Shorter tokens can be guessed; a generated token is 43 characters. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public boolean hasBasic() {
        return !username.isEmpty() && !password.isEmpty();
    }

    public boolean hasToken() {
        return !token.isEmpty();
    }

    /** Nothing configured: the engine generates a token at first start. */
    public boolean none() {
        return !hasBasic() && !hasToken();
    }

    @Override
    public String toString() {
        return "AdminCredentials[basic=" + (hasBasic() ? username + "/***" : "none") + ", token="
                + (hasToken() ? "***" : "none") + "]";
    }
}
