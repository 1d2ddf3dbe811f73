#pragma once

// The staff page's live updates (docs/programs/uketsuke-desk.md "Live updates"): every open
// page holds one server-sent-event stream (GET /api/v1/events); the desk pushes each change to
// all of them. Events carry no thread: net::EventStream queues and the server's io thread
// writes. Thread: any, for every member.

#include "net/server.hpp"

#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

namespace uketsuke::desk {

class EventHub {
public:
    // At most `maxStreams` pages at once; a further one is refused (subscribe() -> nullptr)
    // until one closes.
    explicit EventHub(std::size_t maxStreams = 64);

    // A new stream for one page, already holding a first "hello" event; nullptr when full.
    std::shared_ptr<net::EventStream> subscribe();

    // Queues the event on every open stream; forgets the closed ones.
    void broadcast(std::string_view name, std::string_view data);

    // Closes every stream (the desk is stopping).
    void closeAll();

    // Open streams (tests, diagnostics).
    std::size_t size();

private:
    void prune(); // m_mutex held

    std::size_t m_maxStreams;
    std::mutex m_mutex;
    std::vector<std::shared_ptr<net::EventStream>> m_streams; // guarded by m_mutex
};

} // namespace uketsuke::desk
