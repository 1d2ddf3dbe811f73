#pragma once

// Terminal's inside, shared by the files that hold its jobs (internal to kiosk/runner: include
// it only from there). Each member says which thread owns it.
//
//   terminal.cpp       main thread: queue, timers, flow::step(), commands -> jobs, keypad keys
//   card_jobs.cpp      card worker: reader presence, certificate, tries, VERIFY and sign
//   service_jobs.cpp   service worker: challenge, confirm, lookup, the outbox
//   printer_jobs.cpp   printer worker: the slip

#include "base/service.hpp"
#include "base/time.hpp"
#include "kiosk/card/jpki.hpp"
#include "kiosk/runner/input.hpp"
#include "kiosk/runner/terminal.hpp"
#include "kiosk/runner/worker.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace uketsuke::kiosk::runner {

struct Terminal::Impl final : InputTarget {
    Impl(Devices d, const model::StringCatalog& s, const Clock& c, TerminalOptions o)
        : devices(d), strings(s), clock(c), options(std::move(o)),
          cardWorker("card", [this] { watchReader(); }, heartbeatFor("card")),
          serviceWorker("service", {}, heartbeatFor("service")),
          printerWorker("printer", [this] { checkPrinter(); }, heartbeatFor("printer"),
                        options.printerPoll)
    {
        auto can = devices.eligibility.capabilities();
        state.canUseMyNumberCard = can.myNumberCard;
        state.canLookUpInsuranceCard = can.insuranceCard;
        state.consentTopics = options.consentTopics;
        state.displayDefaults = options.display;
        state.display = options.display;
    }

    std::shared_ptr<service::Heartbeat> heartbeatFor(const std::string& worker) const
    {
        return options.heartbeat ? options.heartbeat(worker) : nullptr;
    }

    Devices devices;
    const model::StringCatalog& strings; // immutable: any worker may read it
    const Clock& clock;
    TerminalOptions options;

    // Main thread only.
    flow::State state;
    PinEntry pinEntryBuffer;
    InsuranceEntry insuranceForm;
    std::map<std::uint32_t, std::chrono::steady_clock::time_point> timers;
    // Numbers the lookups by insurance card; CancelLookup moves it on, and a lookup whose number
    // is no longer current drops its answer (the patient left; the next one must not get it).
    std::atomic<std::uint64_t> lookupSerial{0};
    std::uint64_t callSerial = 0; // calls for staff so far
    // What options.onCardStatus was last told (reportCard); cardReported: told at all.
    std::optional<model::CardHealth> reportedCard;
    bool cardReported = false;
    std::optional<bool> reportedVisual; // what options.onVisualPossible was last told
    // The opening hours (options.openingHours): what the flow was last told, and when to look
    // again (the next boundary, at most an hour on: the wall clock may be set meanwhile).
    std::optional<bool> hoursOpen;
    std::optional<std::chrono::steady_clock::time_point> hoursCheckAt;

    std::mutex queueMutex;
    std::condition_variable queueCv;
    std::deque<flow::Event> queue;
    // Keys from a hardware keypad, guarded by queueMutex. A vector (not a deque) so that the
    // digits can be wiped in place after use.
    std::vector<KeypadPress> keys;

    // Card worker only. One JpkiCard per connection for the whole check-in: it remembers the
    // selected EF, so a check-in takes the minimum of APDUs (docs/card.md).
    std::unique_ptr<hal::CardChannel> channel;
    std::optional<card::JpkiCard> jpki;
    hal::CardPresence knownPresence = hal::CardPresence::Absent;
    bool readerAvailable = true; // what the flow was last told about the reader

    // Printer worker only: what the last status read said (nullopt before the first; an empty
    // inner optional: no answer), for logging changes and telling the flow.
    std::optional<std::optional<hal::PrinterStatus>> lastPrinter;

    Worker cardWorker;
    Worker serviceWorker;
    Worker printerWorker;

    // InputTarget (main thread).
    PinEntry& pinEntry() override { return pinEntryBuffer; }
    InsuranceEntry& insuranceEntry() override { return insuranceForm; }
    flow::Phase phase() const override { return state.phase; }
    // "c-<unix seconds>-<n>" (n counts this run's calls) and the time now.
    flow::CallStaff staffCall() override;
    // Queues an event and wakes the main thread. Thread: any.
    void post(flow::Event event) override;

    // terminal.cpp (main thread).
    int pump();
    void execute(flow::Command command);
    void postKey(KeypadPress key); // thread: any
    void applyKeys();
    CivilDate today() const; // in the clinic's time zone, for the birth date check
    // Tells options.onCardStatus the card's state after `state` changed, if it differs from
    // what it was last told (and the first time).
    void reportCard();
    // Tells the flow when the opening hours began or ended since it was last told (and the
    // first time), and sets hoursCheckAt. Nothing without options.openingHours.
    void checkHours();
    // Tells options.onVisualPossible flow::canConfirmVisually(state) when it changed.
    void reportVisual();

    // card_jobs.cpp (card worker; pushCardJob: main).
    void pushCardJob(Worker::Job job);
    void setReaderAvailable(bool available);
    void watchReader();
    Result<card::JpkiCard*> ensureCard();
    void releaseCard();
    void readCard();
    void verifyAndSign(const Pin& pin, const hal::Bytes& toSign);
    void verifyOnReaderAndSign(const hal::Bytes& toSign);
    void postSignOutcome(Result<card::SignOutcome> outcome);

    // service_jobs.cpp (service worker; lookUpInsurance: main, it queues the job).
    void fetchChallenge();
    void confirm(const flow::QueryEligibility& command);
    void saveCheckIn(const flow::SaveCheckIn& command);
    void lookUpInsurance();

    // printer_jobs.cpp (main, then the printer worker).
    void printSlip(const flow::PrintSlip& command);
    // Printer worker: reads the status, logs and reports changes (the flow's PrinterStatus,
    // options.onPrinterStatus), and returns why the printer cannot print (Errc{} if it can).
    Error checkPrinter();
};

} // namespace uketsuke::kiosk::runner
