package org.dhis2.sync.sandbox;

/** A DHIS2 error answer: becomes a WebMessage {@code {"httpStatus","httpStatusCode","status":"ERROR","message"}}. */
public class Dhis2Exception extends RuntimeException {

    private final int status;
    private final String reason;
    private final String errorCode;

    public Dhis2Exception(int status, String reason, String message) {
        this(status, reason, message, null);
    }

    public Dhis2Exception(int status, String reason, String message, String errorCode) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.errorCode = errorCode;
    }

    public static Dhis2Exception notFound(String message) {
        return new Dhis2Exception(404, "Not Found", message);
    }

    public static Dhis2Exception conflict(String message, String errorCode) {
        return new Dhis2Exception(409, "Conflict", message, errorCode);
    }

    public static Dhis2Exception badRequest(String message) {
        return new Dhis2Exception(400, "Bad Request", message);
    }

    public static Dhis2Exception internal(String message) {
        return new Dhis2Exception(500, "Internal Server Error", message);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public String errorCode() {
        return errorCode;
    }
}
