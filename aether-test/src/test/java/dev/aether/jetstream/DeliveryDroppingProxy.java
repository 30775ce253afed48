package dev.aether.jetstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a nats-server that loses the first delivery of chosen stream
 * sequences on their way to the client, as a connection cut in the middle of a pull response does:
 * the server counts the message as delivered, the client never sees it, and the server delivers it
 * again only after the consumer's ack wait. Everything else passes unchanged, in order.
 */
final class DeliveryDroppingProxy implements AutoCloseable {

    private static final byte[] CRLF = {'\r', '\n'};

    private final ServerSocket listener;
    private final int targetPort;
    private final Set<Long> toDrop = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dropped = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    DeliveryDroppingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        Thread acceptor = new Thread(this::acceptLoop, "delivery-dropping-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** @param streamSequence a stream sequence whose next first delivery (delivery count 1) is lost */
    void dropFirstDeliveryOf(long streamSequence) {
        toDrop.add(streamSequence);
    }

    /** @return how many deliveries were lost so far */
    int dropped() {
        return dropped.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), targetPort);
                sockets.add(client);
                sockets.add(server);
                start(() -> copy(client, server));
                start(() -> filter(server, client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void start(Runnable pump) {
        Thread thread = new Thread(pump, "delivery-dropping-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void copy(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // The other side closed, or the proxy was closed.
        }
    }

    /** Passes the server's protocol frames on one by one, leaving out the deliveries to lose. */
    private void filter(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            FrameReader frames = new FrameReader(in);
            byte[] frame;
            while ((frame = frames.next()) != null) {
                if (!shouldDrop(frame)) {
                    out.write(frame);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The other side closed, or the proxy was closed.
        }
    }

    /** {@code HMSG <subject> <sid> $JS.ACK.<stream>.<consumer>.<delivered>.<streamSeq>... <hdr> <total>} */
    private boolean shouldDrop(byte[] frame) {
        String line = new String(frame, 0, Math.min(frame.length, 512), StandardCharsets.ISO_8859_1);
        if (!line.startsWith("HMSG ") && !line.startsWith("MSG ")) {
            return false;
        }
        String[] words = line.substring(0, line.indexOf("\r\n")).split(" ");
        if (words.length < 5 || !words[3].startsWith("$JS.ACK.")) {
            return false;
        }
        String[] tokens = words[3].split("\\.");
        int offset = tokens.length >= 12 ? 4 : 2; // reply subjects with a domain and account hash
        long delivered = Long.parseLong(tokens[offset + 2]);
        long streamSequence = Long.parseLong(tokens[offset + 3]);
        if (delivered == 1 && toDrop.remove(streamSequence)) {
            dropped.incrementAndGet();
            return true;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    /** Splits the server's byte stream into whole protocol frames: a line, and for messages their payload. */
    private static final class FrameReader {
        private final InputStream in;
        private byte[] buffer = new byte[64 * 1024];
        private int start;
        private int end;

        FrameReader(InputStream in) {
            this.in = in;
        }

        byte[] next() throws IOException {
            int lineEnd;
            while ((lineEnd = indexOfCrlf()) < 0) {
                if (!fill()) {
                    return null;
                }
            }
            String line = new String(buffer, start, lineEnd - start, StandardCharsets.ISO_8859_1);
            int length = lineEnd + CRLF.length - start;
            if (line.startsWith("MSG ") || line.startsWith("HMSG ")) {
                String[] words = line.split(" ");
                length += Integer.parseInt(words[words.length - 1]) + CRLF.length;
            }
            while (end - start < length) {
                if (!fill()) {
                    return null;
                }
            }
            byte[] frame = Arrays.copyOfRange(buffer, start, start + length);
            start += length;
            return frame;
        }

        private int indexOfCrlf() {
            for (int i = start; i + 1 < end; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        private boolean fill() throws IOException {
            if (start > 0) {
                System.arraycopy(buffer, start, buffer, 0, end - start);
                end -= start;
                start = 0;
            }
            if (end == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            int read = in.read(buffer, end, buffer.length - end);
            if (read < 0) {
                return false;
            }
            end += read;
            return true;
        }
    }
}
