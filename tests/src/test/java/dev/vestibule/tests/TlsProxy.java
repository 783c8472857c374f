package dev.vestibule.tests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A TLS-terminating server in front of one sample subgraph, as a subgraph behind its own TLS would be: Jetty with
 * the test's certificate, ALPN (h2, HTTP/1.1), optionally requiring a client certificate of the test CA, and a
 * cleartext port that speaks h2c. Each request is passed to the sample (so its data, request log and fault
 * injection apply) and its protocol and client certificate recorded. Built with Jetty's own API and a key store made
 * in the test, not with the router's TLS code it tests.
 */
final class TlsProxy implements AutoCloseable {
    /** What the proxy saw of one request: its protocol ({@code HTTP/2.0}, {@code HTTP/1.1}) and the client's subject. */
    record Seen(String protocol, boolean secure, String clientSubject) {}

    private final Server server;
    private final ServerConnector tls;
    private final ServerConnector cleartext;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    TlsProxy(String target, TestCertificates.Issued certificate, TestCertificates.Issued clientCa) throws Exception {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new SecureRequestCustomizer());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        char[] password = "proxy".toCharArray();
        ssl.setKeyStore(certificate.keyStore(password));
        ssl.setKeyStorePassword(new String(password));
        ssl.setKeyManagerPassword(new String(password));
        if (clientCa != null) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", clientCa.certificate());
            ssl.setTrustStore(trusted);
            ssl.setNeedClientAuth(true);
        }
        HttpConnectionFactory http11 = new HttpConnectionFactory(http);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        // ALPN names (RFC 7301), not Jetty's "HTTP/1.1": a client that offers only http/1.1 must find it in the list
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol(http11.getProtocol());
        tls = new ServerConnector(server, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, http11);
        tls.setHost("127.0.0.1");
        HttpConfiguration plain = new HttpConfiguration();
        cleartext = new ServerConnector(server, new HttpConnectionFactory(plain), new HTTP2CServerConnectionFactory(plain));
        cleartext.setHost("127.0.0.1");
        server.addConnector(tls);
        server.addConnector(cleartext);
        HttpClient forward = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                EndPoint.SslSessionData session = (EndPoint.SslSessionData) request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE);
                X509Certificate[] peer = session == null ? null : session.peerCertificates();
                seen.add(new Seen(request.getConnectionMetaData().getProtocol(), request.isSecure(),
                        peer == null || peer.length == 0 ? null : peer[0].getSubjectX500Principal().getName()));
                byte[] body = Content.Source.asInputStream(request).readAllBytes();
                HttpResponse<byte[]> answer = forward.send(HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(30))
                        .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                response.setStatus(answer.statusCode());
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                response.write(true, ByteBuffer.wrap(answer.body()), callback);
                return true;
            }
        });
        server.start();
    }

    /** The https URL (localhost, which the certificate names). */
    String httpsUrl() {
        return "https://localhost:" + tls.getLocalPort() + "/graphql";
    }

    /** The cleartext URL, where h2c (prior knowledge or Upgrade) and HTTP/1.1 are spoken. */
    String cleartextUrl() {
        return "http://127.0.0.1:" + cleartext.getLocalPort() + "/graphql";
    }

    List<Seen> seen() {
        return List.copyOf(seen);
    }

    void clear() {
        seen.clear();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
