package io.gatepass.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection that sends prepared requests and reads answers by Content-Length — about
 * as little client work as wrk does, so that the load generator leaves the cores to the server.
 */
final class RawHttp implements AutoCloseable {
    private final String host;
    private final int port;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] line = new byte[8192];

    RawHttp(String host, int port) {
        this.host = host;
        this.port = port;
    }

    /** Sends one request and returns the status, reading (and dropping) the body; reconnects when needed. */
    int exchange(byte[] request) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                if (socket == null) connect();
                out.write(request);
                out.flush();
                return readResponse();
            } catch (IOException e) {
                close();
                if (attempt >= 1) throw e;
            }
        }
    }

    private void connect() throws IOException {
        socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = new BufferedInputStream(socket.getInputStream(), 16384);
    }

    private int readResponse() throws IOException {
        String status = readLine();
        if (status == null || status.length() < 12) throw new IOException("no status line");
        int code = Integer.parseInt(status.substring(9, 12));
        int length = -1;
        boolean close = false;
        String header;
        while ((header = readLine()) != null && !header.isEmpty()) {
            if (header.regionMatches(true, 0, "content-length:", 0, 15)) length = Integer.parseInt(header.substring(15).trim());
            if (header.regionMatches(true, 0, "connection:", 0, 11) && header.toLowerCase().contains("close")) close = true;
        }
        if (length < 0 && code != 204 && code != 304) throw new IOException("no Content-Length");
        if (length > 0) in.skipNBytes(length);
        if (close) close();
        return code;
    }

    private String readLine() throws IOException {
        int n = 0;
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') return new String(line, 0, n > 0 && line[n - 1] == '\r' ? n - 1 : n, StandardCharsets.ISO_8859_1);
            if (n < line.length) line[n++] = (byte) b;
        }
        throw new IOException("connection closed");
    }

    static byte[] request(String method, String path, String host, String contentType, String body, String... headers) {
        StringBuilder r = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ").append(host)
                .append("\r\n");
        for (int i = 0; i < headers.length; i += 2) r.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (contentType != null) r.append("Content-Type: ").append(contentType).append("\r\n");
        if (body != null) r.append("Content-Length: ").append(content.length).append("\r\n");
        r.append("\r\n");
        byte[] head = r.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + content.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(content, 0, all, head.length, content.length);
        return all;
    }

    @Override
    public void close() {
        try {
            if (socket != null) socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        socket = null;
    }
}
