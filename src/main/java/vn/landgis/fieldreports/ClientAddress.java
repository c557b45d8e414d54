package vn.landgis.fieldreports;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The address of the client behind the configured reverse proxies. X-Forwarded-For is read only when the peer is
 * a trusted proxy, from its right end (what the nearest proxy appended) leftwards past the other trusted proxies;
 * the first address that is not a trusted proxy is the client. Anyone can send the header, so with no trusted
 * proxies (the default) it is ignored.
 */
final class ClientAddress {

    private static final Pattern IP = Pattern.compile("[0-9A-Fa-f.:]{2,45}");

    private ClientAddress() {
    }

    static String of(String peer, String forwardedFor, List<String> trustedProxies) {
        String client = peer;
        if (forwardedFor == null || !trustedProxies.contains(peer)) {
            return client;
        }
        String[] hops = forwardedFor.split(",");
        for (int i = hops.length - 1; i >= 0 && trustedProxies.contains(client); i--) {
            String hop = hops[i].strip();
            if (!IP.matcher(hop).matches()) {
                break;   // not an address: the chain is broken here, the last trusted hop is all we know
            }
            client = hop;
        }
        return client;
    }
}
