#pragma once

#include <chrono>

namespace tablesync {

// What one client may cost the health server. The defaults suit a status port scraped every few
// seconds on localhost; tests shorten the timeouts.
struct HttpLimits
{
    // Connections open at once. A new one beyond this takes the place of a client that has been
    // silent for `stalledAfter` without finishing its request, or else gets 503.
    int maxConnections = 64;
    // Request line plus headers. Browsers send 1-2 KiB; cookies for "localhost" are shared by every
    // port on the machine, hence the headroom. More gets 431 (414 for a request line alone).
    int maxHeadBytes = 16 * 1024;
    // The whole request head must arrive within this, or the client gets 408 and is closed.
    std::chrono::milliseconds headTimeout{5000};
    // A client still without a complete head after this may be evicted when the server is full.
    std::chrono::milliseconds stalledAfter{1000};
    // From the answer being queued to the connection being gone, whether the client reads it or not.
    std::chrono::milliseconds answerTimeout{5000};
    // After an error answer, unread input is drained this long before closing, so that closing
    // does not reset the connection and destroy the answer before the client reads it.
    std::chrono::milliseconds linger{300};
};

} // namespace tablesync
