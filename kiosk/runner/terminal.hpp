#pragma once

// The runner: owns the flow state, feeds events through flow::step() and executes the
// commands on the card, service and printer workers (docs/architecture.md). Workers never
// touch the state: they post events, which the main thread drains once a frame in pump().
// Everything here runs headless: the UI only draws state() and posts Touch events.

#include "base/time.hpp"
#include "base/service.hpp"
#include "hal/card.hpp"
#include "hal/printer.hpp"
#include "kiosk/config/opening_hours.hpp"
#include "kiosk/delivery/outbox.hpp"
#include "kiosk/eligibility/source.hpp"
#include "kiosk/flow/flow.hpp"
#include "kiosk/model/strings.hpp"
#include "kiosk/runner/clock.hpp"
#include "kiosk/runner/input.hpp"
#include "kiosk/runner/insurance_entry.hpp"
#include "kiosk/runner/pin_entry.hpp"
#include "kiosk/runner/slip.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace uketsuke::kiosk::runner {

struct Devices {
    hal::CardReader& reader;
    hal::ReceiptPrinter& printer;
    eligibility::EligibilitySource& eligibility;
    delivery::Outbox& outbox;
};

struct TerminalOptions {
    std::string terminalId;
    // The letters before every receipt number of this terminal ("A" → "A-0007"): one or two of
    // A-Z, unique among the clinic's terminals (config `receipt_prefix`, model/receipt.hpp).
    std::string receiptPrefix = "A";
    flow::Timeouts timeouts;
    // Called (on the service worker) after a check-in was written to the outbox, so delivery
    // starts at once.
    std::function<void()> onCheckInSaved;
    // Called from any thread after an event was posted: the UI pushes an SDL user event.
    std::function<void()> wake;
    // Let the patient type the PIN on the reader when it has its own PIN pad (PC/SC secure
    // PIN entry); false keeps the on-screen keypad for every reader (config `pin.reader_pad`).
    bool readerPinPad = true;
    // How long the reader's pad waits for the PIN (at most 255 s).
    std::chrono::seconds pinPadTimeout{30};
    // The clinic's time zone: the receipt number's day and "today" for birth dates.
    time::Zone zone = time::Zone::tokyo();
    // What every slip says besides the check-in: clinic name, how the patient is named, the
    // eligibility summary, the window (config `clinic_name`, `slip.*`).
    SlipSettings slip;
    // Gives each worker ("card", "service", "printer") its heartbeat for the service watchdog
    // (base/service.hpp); empty: none.
    std::function<std::shared_ptr<service::Heartbeat>(const std::string& worker)> heartbeat;
    // How often the printer worker reads the printer's status between slips (config
    // `printer_status_s`); it also reads it before and after each slip.
    std::chrono::milliseconds printerPoll{std::chrono::seconds(5)};
    // Called on the printer worker after every status read (nullopt: the printer did not
    // answer), and on the card worker when the reader goes or comes back: the terminal's health
    // report to the desk (kiosk/delivery/health_reporter.hpp). Must not block. Empty: none.
    std::function<void(const std::optional<hal::PrinterStatus>& printer)> onPrinterStatus;
    std::function<void(bool available)> onReaderStatus;
    // Called on the main thread with the card on the reader as the flow knows it, at start()
    // and whenever it changes (flow::cardState, flow::cardIdle): placed, taken, failing to read,
    // or left lying with no check-in using it (with the time that began); nullopt while the
    // reader is unavailable. The health report to the desk (HealthReporter::setCard). Must not
    // block. Empty: none.
    std::function<void(const std::optional<model::CardHealth>& card)> onCardStatus;
    // Called on the main thread when the patient's call for staff begins (the call) or ends
    // (nullopt): the health report to the desk (HealthReporter::setCall). Must not block.
    std::function<void(const std::optional<model::StaffCall>& call)> onCall;
    // Called on the main thread at start() and whenever flow::canConfirmVisually changes: the
    // staff menu offers visual confirmation (目視) only while the patient flow can take it
    // (StaffConsole::patientStatus). Must not block. Empty: none.
    std::function<void(bool visualPossible)> onVisualPossible;
    // The consent questions asked after the PIN, in order (config `consent.*`); empty: none.
    std::vector<model::ConsentTopic> consentTopics;
    // The clinic's large text and high contrast (config ui.large_text, ui.high_contrast): each
    // patient starts with them (flow::State::displayDefaults).
    flow::Display display{};
    // The clinic's opening hours in `zone` (config `opening_hours`, `closed_dates`): the
    // terminal tells the flow at start() and at each boundary (flow::OpeningHoursChanged), and
    // wakes for the next one (nextTimer). nullopt: always open.
    std::optional<config::OpeningHours> openingHours;
};

class Terminal {
public:
    // `strings` (every language; slips are printed in the one the patient chose) must outlive
    // the terminal.
    Terminal(Devices devices, const model::StringCatalog& strings, const Clock& clock,
             TerminalOptions options);
    ~Terminal();
    Terminal(const Terminal&) = delete;
    Terminal& operator=(const Terminal&) = delete;

    // Starts the workers; the card worker begins watching the reader. Thread: main.
    void start();
    // Stops and joins the workers (also done by the destructor). Thread: main.
    void stop();

    // Queues an event and wakes the main thread. Thread: any.
    void post(flow::Event event);

    // Runs `job` on the printer worker after the jobs queued before it, then reads the printer's
    // status as after a slip (so the idle screen follows what the job found). The printer is the
    // printer worker's alone: the staff menu's printer test prints through this. A job queued
    // when stop() runs is dropped (destroyed without running). Thread: any.
    void onPrinterWorker(std::function<void(hal::ReceiptPrinter&)> job);

    // The flow's timeouts for every timer started from now on (the staff menu's settings).
    // Thread: main.
    void setTimeouts(const flow::Timeouts& timeouts);
    const flow::Timeouts& timeouts() const;
    // The letters of the receipt numbers issued from now on; applied on the service worker
    // after the jobs queued before it (a check-in being saved keeps the old ones). Thread: any.
    void setReceiptPrefix(std::string prefix);

    // Queues a key from a hardware keypad (any thread; the keypad's reader thread). pump()
    // applies it on the main thread as the Input inputOf(key), exactly as apply() does; the
    // queued digits are wiped once applied.
    void postKey(KeypadPress key);

    // Applies one input from the touch screen or a script (runner/input.hpp: by the phase on
    // screen, to the PIN entry, the insurance card form or the flow). Thread: main.
    void apply(const Input& input);

    // Fires due timers, then runs every queued event through step() and executes the
    // commands. Returns the number of events that changed the state. Thread: main.
    int pump();

    // Blocks until an event is queued or `deadline` passes (for loops without SDL; the UI
    // sleeps in SDL_WaitEventTimeout instead). Thread: main.
    void waitForEvents(std::chrono::steady_clock::time_point deadline);

    // When the next flow timer falls due, if one is running. Thread: main.
    std::optional<std::chrono::steady_clock::time_point> nextTimer() const;

    const flow::State& state() const;
    // The keypad buffer the screens type into. Thread: main.
    PinEntry& pinEntry();
    // The insurance card form (Phase::EnterInsurance): the screen types into it, LookUpInsurance
    // builds the query from it, DiscardInsurance wipes it. Thread: main.
    InsuranceEntry& insuranceEntry();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace uketsuke::kiosk::runner
