package org.dhis2.sync.admin;

/** An admin API call that cannot be answered normally: its HTTP status and a message that names the cause. */
public final class AdminApiException extends RuntimeException {

    private final int status;

    private AdminApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static AdminApiException unauthorized() {
        return new AdminApiException(401, "Authentication required: HTTP Basic (sync.admin.username/password) or "
                + "a token (Authorization: Bearer … or ApiToken …)");
    }

    /** A request parameter is missing or invalid; the message names it. */
    public static AdminApiException badParameter(String parameter, String problem) {
        return new AdminApiException(400, "Parameter '" + parameter + "' " + problem);
    }

    public static AdminApiException notFound(String message) {
        return new AdminApiException(404, message);
    }

    /** An answer with a status of its own, e.g. the reserved value hand-out's DHIS2-style 400 / 404 / 409. */
    public static AdminApiException status(int status, String message) {
        return new AdminApiException(status, message);
    }

    public static AdminApiException unavailable(String message) {
        return new AdminApiException(503, message);
    }
}
