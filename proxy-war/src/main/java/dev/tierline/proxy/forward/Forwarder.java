package dev.tierline.proxy.forward;

import dev.tierline.proxy.config.ClientLimits;
import dev.tierline.proxy.config.RouteSettings;
import jakarta.servlet.AsyncContext;

/**
 * Forwards requests to chosen backends and relays the responses, streaming both bodies without a thread
 * waiting on either side. It knows nothing of routes or balancing: it is given a backend choice (which it
 * asks for another backend when a failed attempt may be sent again) and the route's forwarding settings,
 * and tells its observer how each exchange ended.
 *
 * <p>Why Servlet async I/O with HttpClient's async client, and not a thread per request: the blocking
 * design costs less CPU per small request, but holds a thread for as long as a backend thinks, so
 * thousands of slow requests need thousands of threads. Virtual threads would lift that, but Tierline runs
 * on Java 17, which has none, and on Java 25 they measured more CPU per request than platform threads
 * (PERFORMANCE-NOTES). bench/run and bench/slow-requests give today's figures for this design.
 */
public final class Forwarder {

    private final UpstreamClient client;
    private final ExchangeObserver observer;
    private final ClientLimits clients;
    private final RequestConfigs requestConfigs = new RequestConfigs();

    /** @param clients how slowly a client may send its body */
    public Forwarder(UpstreamClient client, ExchangeObserver observer, ClientLimits clients) {
        this.client = client;
        this.observer = observer;
        this.clients = clients;
    }

    /**
     * Starts forwarding a request already in asynchronous mode to the chosen backend (and, should that attempt
     * fail in a way that allows it, to the backends the choice offers next); returns at once. The observer hears of the
     * outcome, and the async context is completed, when the exchange is over.
     *
     * @param path the decoded, normalised path within the proxy's mapping
     * @param requestId the request's id, sent upstream as X-Request-Id
     */
    public void forward(AsyncContext async, BackendChoice backend, RouteSettings route, String path, String requestId) {
        new ProxyExchange(client, observer, async, route, clients).start(backend, path, requestId, requestConfigs.of(route));
    }

    /** The request attribute that asks the servlet, on an async dispatch, to cut off the client's response. */
    public static final String ABORT_ATTRIBUTE = "dev.tierline.proxy.abort";
}
