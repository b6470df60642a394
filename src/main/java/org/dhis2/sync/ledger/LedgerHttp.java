package org.dhis2.sync.ledger;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Function;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The HTTP client's side of the request ledger: an exec interceptor that finds the call by the X-Request-ID the
 * event notifier put on the request, and counts what really went over the connection: the request body's bytes
 * (as written, gzipped when the route gzipped it), the status, and the answer body's bytes as they are read (a
 * streamed answer is done when it is read to its end or closed). It never reads a header but X-Request-ID, so the
 * Authorization header (added later in the chain) is never seen here.
 */
final class LedgerHttp implements HttpClientConfigurer {

    private final Function<String, LedgerCall> calls;

    LedgerHttp(Function<String, LedgerCall> calls) {
        this.calls = calls;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addExecInterceptorFirst("dhis2-request-ledger", (request, scope, chain) -> {
            Header id = request.getFirstHeader(LedgerNotifier.REQUEST_ID);
            LedgerCall call = id == null ? null : calls.apply(id.getValue());
            if (call == null) {
                return chain.proceed(request, scope);
            }
            String url;
            try {
                url = request.getUri().toString();
            } catch (java.net.URISyntaxException e) {
                url = request.getRequestUri();
            }
            call.httpStarted(request.getMethod(), url);
            if (request.getEntity() != null) {
                call.bytesOut.set(0);
                request.setEntity(new CountedOut(request.getEntity(), call));
            }
            ClassicHttpResponse response;
            try {
                response = chain.proceed(request, scope);
            } catch (IOException | org.apache.hc.core5.http.HttpException | RuntimeException e) {
                call.httpDone();
                throw e;
            }
            call.answered(response.getCode());
            if (response.getEntity() == null) {
                call.httpDone();
            } else {
                call.bytesIn.set(0);
                response.setEntity(new CountedIn(response.getEntity(), call));
            }
            return response;
        });
    }

    /** A request body that counts the bytes written. */
    private static final class CountedOut extends HttpEntityWrapper {
        private final LedgerCall call;

        CountedOut(HttpEntity body, LedgerCall call) {
            super(body);
            this.call = call;
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            call.bytesOut.set(0);
            super.writeTo(new FilterOutputStream(out) {
                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    call.bytesOut.incrementAndGet();
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    call.bytesOut.addAndGet(len);
                }
            });
        }
    }

    /** An answer body that counts the bytes read and tells when it is read to its end or closed. */
    private static final class CountedIn extends HttpEntityWrapper {
        private final LedgerCall call;

        CountedIn(HttpEntity body, LedgerCall call) {
            super(body);
            this.call = call;
        }

        @Override
        public InputStream getContent() throws IOException {
            return new FilterInputStream(super.getContent()) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b < 0) {
                        call.httpDone();
                    } else {
                        call.bytesIn.incrementAndGet();
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n < 0) {
                        call.httpDone();
                    } else {
                        call.bytesIn.addAndGet(n);
                    }
                    return n;
                }

                @Override
                public long skip(long n) throws IOException {
                    long skipped = super.skip(n);
                    call.bytesIn.addAndGet(Math.max(0, skipped));
                    return skipped;
                }

                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        call.httpDone();
                    }
                }
            };
        }

        @Override
        public void writeTo(OutputStream out) throws IOException {
            try (InputStream in = getContent()) {
                in.transferTo(out);
            }
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                call.httpDone();
            }
        }
    }
}
