#pragma once

// One EligibilitySource made of two, for `eligibility.source = "gateway+oqs-files"` (and, with
// one of them absent, for each alone): My Number card check-ins (challenge(), confirm()) go to
// the card source, lookups by insurance card data (lookup()) to the lookup source. The runner
// and the flow see one source and ask capabilities() what it offers.

#include "base/result.hpp"
#include "kiosk/eligibility/source.hpp"

#include <memory>

namespace uketsuke::kiosk::eligibility {

class CombinedSource final : public EligibilitySource {
public:
    // Either may be null: what it would serve is then NotSupported. Does no I/O. Thread: any.
    CombinedSource(std::unique_ptr<EligibilitySource> cardSource,
                   std::unique_ptr<EligibilitySource> lookupSource);

    // myNumberCard from the card source, insuranceCard from the lookup source; false for an
    // absent one. Does no I/O. Thread: any.
    Capabilities capabilities() const override;

    // The card source's, with its blocking, thread and errors; NotSupported without one.
    Result<Challenge> challenge() override;
    Result<model::QualificationResult> confirm(const ConfirmRequest& request) override;

    // The lookup source's, with its blocking, thread and errors; NotSupported without one.
    Result<model::QualificationResult> lookup(const InsuranceCardQuery& query) override;

    // Passes cancel() to both sources. Does not block. Thread: any.
    void cancel() override;

private:
    std::unique_ptr<EligibilitySource> m_cardSource;
    std::unique_ptr<EligibilitySource> m_lookupSource;
};

} // namespace uketsuke::kiosk::eligibility
