package vn.landgis.platform;

/** What a failed request's exception says about its cause, for the exception handlers of the APIs. */
public final class RequestFailures {

    private RequestFailures() {
    }

    /** Whether {@code e} comes of the client closing the connection (broken pipe, reset, Tomcat's ClientAbortException). */
    public static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.equals("org.apache.catalina.connector.ClientAbortException")
                    || name.equals("org.springframework.web.context.request.async.AsyncRequestNotUsableException")
                    || (t instanceof java.io.IOException && t.getMessage() != null
                        && (t.getMessage().contains("Broken pipe") || t.getMessage().contains("Connection reset")))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code e} comes of Tomcat refusing a request's parameters (a form body over its maxPostSize, too many of them). */
    public static boolean parametersRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals("org.apache.tomcat.util.http.InvalidParameterException")) {
                return true;
            }
        }
        return false;
    }
}
