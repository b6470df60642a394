package org.dhis2.sync.sandbox;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The emulated line in front of one instance: the {@link Link} in force, one sender per direction shared by all
 * connections (N parallel requests share the bandwidth like one line), and the bytes that crossed it. Each
 * direction is a serial line: a chunk of n bytes occupies it for n / bandwidth seconds after the previous chunk
 * (of any connection) left it, and the reader or writer waits until its chunk is through. Waits are to absolute
 * times, so sleep granularity does not add up over a long body.
 */
public final class LinkLine {

    /** Bytes that crossed the line, per direction, since the last reset. */
    public record Traffic(long requests, long requestBytes, long responseBytes, int peakInFlight) {
        public Traffic(long requests, long requestBytes, long responseBytes) {
            this(requests, requestBytes, responseBytes, 0);
        }

        public long totalBytes() {
            return requestBytes + responseBytes;
        }
    }

    /** Chunk size of the throttled streams: small enough that parallel requests interleave. */
    private static final int CHUNK = 8 * 1024;
    private static final long SLACK_NANOS = 20_000_000;

    private volatile Link link = Link.LAN;
    private final Direction up = new Direction();
    private final Direction down = new Direction();
    private final AtomicLong requests = new AtomicLong();
    private final Object idle = new Object();
    private int inFlight;
    private int peakInFlight;

    public Link link() {
        return link;
    }

    public void set(Link link) {
        this.link = java.util.Objects.requireNonNull(link);
    }

    public Traffic traffic() {
        synchronized (idle) {
            return new Traffic(requests.get(), up.bytes.get(), down.bytes.get(), peakInFlight);
        }
    }

    public void resetTraffic() {
        requests.set(0);
        up.bytes.set(0);
        down.bytes.set(0);
        synchronized (idle) {
            peakInFlight = 0; // counted again from the requests that start after the reset
        }
    }

    /**
     * Waits until no request is being served (a request answered 504 by the proxy goes on being handled);
     * false if that did not happen in time.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight > 0) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                idle.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    void started() {
        requests.incrementAndGet();
        synchronized (idle) {
            inFlight++;
            peakInFlight = Math.max(peakInFlight, inFlight); // the most requests served at once since the reset
        }
    }

    void finished() {
        synchronized (idle) {
            inFlight--;
            idle.notifyAll();
        }
    }

    /** This request's round trip: the RTT varied uniformly by ± jitter. */
    Duration roundTrip(Link link) {
        long jitter = link.jitter().toNanos();
        long offset = jitter == 0 ? 0 : ThreadLocalRandom.current().nextLong(-jitter, jitter + 1);
        return Duration.ofNanos(Math.max(0, link.rtt().toNanos() + offset));
    }

    /** Request bytes that were not read through {@link #upstream} (the request line and headers). */
    void receivedHead(long bytes) throws InterruptedIOException {
        up.transmit(bytes, link.upBytesPerSecond());
    }


    /** The request body as the server reads it: counted and paced at the up bandwidth. */
    InputStream upstream(InputStream raw) {
        return new FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b >= 0) {
                    up.transmit(1, link.upBytesPerSecond());
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, Math.min(len, CHUNK));
                if (n > 0) {
                    up.transmit(n, link.upBytesPerSecond());
                }
                return n;
            }
        };
    }

    /**
     * The response body as the server writes it: counted and paced at the down bandwidth. The head (status line and
     * headers, written by the JDK server itself) is counted, not paced, when the body starts or ends.
     */
    OutputStream downstream(OutputStream raw, LongSupplier headBytes) {
        return new FilterOutputStream(raw) {
            private boolean headCounted;

            private void head() {
                if (!headCounted) {
                    headCounted = true;
                    down.bytes.addAndGet(headBytes.getAsLong());
                }
            }

            @Override
            public void write(int b) throws IOException {
                head();
                down.transmit(1, link.downBytesPerSecond());
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                head();
                while (len > 0) {
                    int n = Math.min(len, CHUNK);
                    down.transmit(n, link.downBytesPerSecond());
                    out.write(b, off, n);
                    off += n;
                    len -= n;
                }
            }

            @Override
            public void close() throws IOException {
                head();
                super.close();
            }
        };
    }

    /** One direction of the line: when it is free again, and what crossed it. */
    private static final class Direction {
        private final AtomicLong bytes = new AtomicLong();
        private long freeAt;

        void transmit(long n, long bytesPerSecond) throws InterruptedIOException {
            bytes.addAndGet(n);
            if (bytesPerSecond <= 0 || n <= 0) {
                return;
            }
            long until;
            synchronized (this) {
                // a line idle for less than the slack counts as busy: late wake-ups of the readers and writers do
                // not lower the rate (a token bucket of SLACK's worth of bytes)
                long start = Math.max(System.nanoTime() - SLACK_NANOS, freeAt);
                freeAt = start + n * 1_000_000_000L / bytesPerSecond;
                until = freeAt;
            }
            sleepUntil(until);
        }
    }

    static void sleepUntil(long nanoTime) throws InterruptedIOException {
        try {
            long left;
            while ((left = nanoTime - System.nanoTime()) > 0) {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("sandbox link stopped");
        }
    }
}
