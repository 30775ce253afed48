package dev.aether.jetstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy in front of a nats-server that can hold back everything the server sends, so
 * that a client's requests reach the server while their answers arrive only after the client gave up
 * waiting: a lost acknowledgement, for real. It counts the {@code HPUB} frames clients send.
 */
final class AckHoldingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final Object gate = new Object();
    private final AtomicInteger headerPublishes = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private boolean holding;

    AckHoldingProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        Thread acceptor = new Thread(this::acceptLoop, "ack-holding-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** From now on, bytes from the server wait until {@link #release()}. */
    void hold() {
        synchronized (gate) {
            holding = true;
        }
    }

    /** Lets the held bytes through, in order. */
    void release() {
        synchronized (gate) {
            holding = false;
            gate.notifyAll();
        }
    }

    /** @return how many {@code HPUB} frames clients sent through the proxy */
    int headerPublishes() {
        return headerPublishes.get();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), targetPort);
                sockets.add(client);
                sockets.add(server);
                pump(client, server, false);
                pump(server, client, true);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean fromServer) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (fromServer) {
                        awaitOpenGate();
                    } else {
                        countHeaderPublishes(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // The other side closed, or the proxy was closed.
            }
        }, "ack-holding-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private void awaitOpenGate() throws InterruptedException {
        synchronized (gate) {
            while (holding) {
                gate.wait();
            }
        }
    }

    private void countHeaderPublishes(String chunk) {
        for (int i = chunk.indexOf("HPUB "); i >= 0; i = chunk.indexOf("HPUB ", i + 1)) {
            headerPublishes.incrementAndGet();
        }
    }

    @Override
    public void close() throws IOException {
        release();
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
