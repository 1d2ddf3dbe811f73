#include "desk/events.hpp"

#include <algorithm>

namespace uketsuke::desk {

EventHub::EventHub(std::size_t maxStreams) : m_maxStreams(maxStreams) {}

void EventHub::prune()
{
    std::erase_if(m_streams, [](const auto& stream) { return !stream->isOpen(); });
}

std::shared_ptr<net::EventStream> EventHub::subscribe()
{
    std::lock_guard lock(m_mutex);
    prune();
    if (m_streams.size() >= m_maxStreams) {
        return nullptr;
    }
    auto stream = net::EventStream::create();
    // The page learns that its stream is live (and reloads its list after a reconnect).
    stream->push("hello", "{}");
    m_streams.push_back(stream);
    return stream;
}

void EventHub::broadcast(std::string_view name, std::string_view data)
{
    std::lock_guard lock(m_mutex);
    for (const auto& stream : m_streams) {
        stream->push(name, data);
    }
    prune();
}

void EventHub::closeAll()
{
    std::lock_guard lock(m_mutex);
    for (const auto& stream : m_streams) {
        stream->close();
    }
    m_streams.clear();
}

std::size_t EventHub::size()
{
    std::lock_guard lock(m_mutex);
    prune();
    return m_streams.size();
}

} // namespace uketsuke::desk
