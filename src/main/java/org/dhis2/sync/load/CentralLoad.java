package org.dhis2.sync.load;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cap on the load the engine puts on central, whatever job or parallel page makes the call: at most
 * {@code maxConcurrentRequests} HTTP requests to central in flight at once (a permit per request, held from before
 * its first byte is sent until central's answer starts: central's work is done by then), and optionally at most
 * {@code maxBytesPerSecond} request body bytes per second. It sits inside the HTTP client (an exec interceptor, at
 * the head of the chain), so every call to central counts, from any route, retries and redirects included, and no
 * route can forget it. Calls to the local instance are not limited.
 */
public final class CentralLoad implements HttpClientConfigurer {

    private static final Logger LOG = LoggerFactory.getLogger(CentralLoad.class);
    private static final int CHUNK = 8192;

    private final String centralUrl;
    private final int maxConcurrentRequests;
    private final Semaphore permits;
    private final long maxBytesPerSecond;
    private long nextFreeNanos;

    public CentralLoad(String centralUrl, int maxConcurrentRequests, long maxBytesPerSecond) {
        this.centralUrl = centralUrl;
        this.maxConcurrentRequests = maxConcurrentRequests;
        this.permits = new Semaphore(maxConcurrentRequests, true);
        this.maxBytesPerSecond = maxBytesPerSecond;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("dhis2-central-load", (request, scope, chain) -> {
            if (!toCentral(request)) {
                return chain.proceed(request, scope);
            }
            acquire();
            try {
                if (maxBytesPerSecond > 0 && request.getEntity() != null) {
                    request.setEntity(new Paced(request.getEntity()));
                }
                return chain.proceed(request, scope);
            } finally {
                permits.release();
            }
        });
    }

    /** Requests to central waiting for a permit or in flight now is at most this. */
    public int maxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    private boolean toCentral(ClassicHttpRequest request) {
        try {
            String url = request.getUri().toString();
            return url.startsWith(centralUrl + "/") || url.equals(centralUrl);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private void acquire() throws InterruptedIOException {
        if (permits.tryAcquire()) {
            return;
        }
        LOG.debug("{} requests to central in flight: waiting for one to end", maxConcurrentRequests);
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to call central");
        }
    }

    /** Waits until {@code bytes} more may be sent within the bandwidth cap (shared by every request to central). */
    void pace(int bytes) throws InterruptedIOException {
        long now = System.nanoTime();
        long start;
        synchronized (this) {
            start = Math.max(nextFreeNanos, now);
            nextFreeNanos = start + bytes * 1_000_000_000L / maxBytesPerSecond;
        }
        long wait = start - now;
        while (wait > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while sending to central");
            }
            wait = start - System.nanoTime();
        }
    }

    /** A request body written no faster than the cap allows, in chunks. */
    private final class Paced extends HttpEntityWrapper {

        Paced(HttpEntity body) {
            super(body);
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            super.writeTo(new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    pace(1);
                    out.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    for (int i = 0; i < len; i += CHUNK) {
                        int n = Math.min(CHUNK, len - i);
                        pace(n);
                        out.write(b, off + i, n);
                    }
                }
            });
        }
    }
}
