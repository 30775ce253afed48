package dev.aether.sample.api;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Names this instance of the service as {@code host:port}, so that events and the live feed show which
 * process saved what when several instances share one NATS.
 */
@Component
public class InstanceName implements ApplicationListener<WebServerInitializedEvent> {

    private volatile String name = hostName();

    /** @return {@code host:port} once the web server runs, the host name before */
    public String get() {
        return name;
    }

    /** Adds the web server's port once it is known. */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        name = hostName() + ":" + event.getWebServer().getPort();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException ex) {
            return "localhost";
        }
    }
}
