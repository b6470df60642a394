package org.dhis2.sync.http;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpRequest;
import org.dhis2.sync.config.Dhis2Connection;

/**
 * Adds the Authorization header of the right DHIS2 instance to every HTTP request, inside the HTTP client. The
 * credentials therefore never travel on a Camel message, where logs, traces or error reports could show them.
 * The instance is chosen by the longest configured base URL that the request URL starts with.
 */
public final class Dhis2Authentication implements HttpClientConfigurer {

    private final List<Dhis2Connection> connections;
    private final List<HttpClientConfigurer> alsoConfigure = new java.util.ArrayList<>();

    public Dhis2Authentication(Dhis2Connection... connections) {
        this.connections = java.util.Arrays.stream(connections).filter(Objects::nonNull)
                .sorted(Comparator.comparingInt((Dhis2Connection c) -> c.url().length()).reversed())
                .toList();
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addRequestInterceptorFirst((request, entity, context) -> authorize(request));
        alsoConfigure.forEach(c -> c.configureHttpClient(builder));
    }

    /** Another part of the HTTP client's set-up (camel-http takes one configurer: this one), e.g. the load caps. */
    public Dhis2Authentication alsoConfigure(HttpClientConfigurer configurer) {
        alsoConfigure.add(configurer);
        return this;
    }

    void authorize(HttpRequest request) {
        String url;
        try {
            url = request.getUri().toString();
        } catch (java.net.URISyntaxException e) {
            return;
        }
        for (Dhis2Connection c : connections) {
            if (url.startsWith(c.url() + "/") || url.equals(c.url())) {
                request.setHeader("Authorization", c.authorizationHeader());
                return;
            }
        }
    }
}
