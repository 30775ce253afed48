package dev.aether.spring.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Checks and redacts NATS server URLs. The one place that knows what a valid URL looks like and
 * how to show one without its credentials.
 */
final class NatsUrls {

    private static final Set<String> SCHEMES = Set.of("nats", "tls", "opentls", "ws", "wss");

    private NatsUrls() {
    }

    /**
     * Checks one server URL.
     *
     * @param url      the URL ({@code nats://host:4222}; a bare {@code host:port} is read as {@code nats://})
     * @param property the property that holds it, named in the message
     * @return the URL, unchanged
     * @throws IllegalArgumentException if it is blank or malformed; the message names the property and
     *                                  shows the URL without user info
     */
    public static String requireValid(String url, String property) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(property + " must not be blank");
        }
        String problem = problem(url.strip());
        if (problem != null) {
            throw new IllegalArgumentException(property + " '" + redact(url) + "' is not a valid NATS URL: " + problem
                    + " (expected scheme://host:port with scheme nats, tls, opentls, ws or wss)");
        }
        return url;
    }

    /**
     * @param url a server URL, possibly malformed
     * @return the URL with any user info (user, password or token) replaced by {@code ***}
     */
    public static String redact(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        if (at < start) {
            return url;
        }
        return url.substring(0, start) + "***" + url.substring(at);
    }

    private static String problem(String url) {
        String candidate = url.contains("://") ? url : "nats://" + url;
        URI uri;
        try {
            uri = new URI(candidate);
        } catch (URISyntaxException ex) {
            return "it cannot be parsed";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            return "unknown scheme '" + scheme + "'";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "no host";
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return "port out of range";
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            return "unexpected path '" + path + "'";
        }
        return null;
    }
}
