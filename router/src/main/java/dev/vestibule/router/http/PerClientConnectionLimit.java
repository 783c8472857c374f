package dev.vestibule.router.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;

/**
 * At most {@code max} open connections per remote address: one more is closed as soon as it opens, before a byte
 * of it is read. Jetty's own ConnectionLimit and NetworkConnectionLimit count every client together, so one client
 * holding connections open (slow bodies, slow headers) could still take them all.
 *
 * <p>Counted on the socket's address: behind a load balancer or proxy every connection comes from it, so the option
 * is off by default (docs/configuration.md).
 */
final class PerClientConnectionLimit implements Connection.Listener {
    private final int max;
    private final ClientFaults faults;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Each counted connection's address: once its socket has closed, the connection can no longer tell it. */
    private final ConcurrentHashMap<Connection, InetAddress> counted = new ConcurrentHashMap<>();

    PerClientConnectionLimit(int max, ClientFaults faults) {
        this.max = max;
        this.faults = faults;
    }

    @Override
    public void onOpened(Connection connection) {
        InetAddress client = client(connection);
        if (client == null) return;
        // counted even when refused: onClosed follows for every opened connection and takes it off again
        counted.put(connection, client);
        int count = open.merge(client, 1, Integer::sum);
        if (count > max) {
            faults.record(ClientFaults.Kind.CONNECTION_OVER_LIMIT, client.getHostAddress());
            connection.getEndPoint().close();
        }
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress client = counted.remove(connection);
        if (client == null) return;
        // the entry goes when its last connection does, so that the map holds only clients with open connections
        open.computeIfPresent(client, (c, count) -> count <= 1 ? null : count - 1);
    }

    /** Open connections of one address (tests). */
    int openConnections(InetAddress client) {
        return open.getOrDefault(client, 0);
    }

    private static InetAddress client(Connection connection) {
        SocketAddress remote = connection.getEndPoint().getRemoteSocketAddress();
        return remote instanceof InetSocketAddress inet ? inet.getAddress() : null;
    }
}
