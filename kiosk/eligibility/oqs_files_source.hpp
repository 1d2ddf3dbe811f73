#pragma once

// EligibilitySource over the file interface of a 資格確認端末 (oqs/file_exchange.hpp,
// docs/oqs-files.md): lookups by 被保険者番号 for patients with a 資格確認書 or 資格情報のお知らせ.
// A 資格確認端末's files cannot carry a My Number card signature: challenge() and confirm()
// are NotSupported.

#include "kiosk/eligibility/source.hpp"
#include "oqs/file_exchange.hpp"

#include <memory>

namespace uketsuke::kiosk::eligibility {

using OqsFilesOptions = oqs::FileExchangeOptions;

class OqsFilesSource final : public EligibilitySource {
public:
    // As oqs::FileExchange::create.
    static Result<std::unique_ptr<OqsFilesSource>> create(OqsFilesOptions options);

    Capabilities capabilities() const override { return {false, true}; }
    Result<Challenge> challenge() override;
    Result<model::QualificationResult> confirm(const ConfirmRequest& request) override;
    // As oqs::FileExchange::lookup (thread: the service worker).
    Result<model::QualificationResult> lookup(const InsuranceCardQuery& query) override;
    void cancel() override;

private:
    explicit OqsFilesSource(std::unique_ptr<oqs::FileExchange> files);
    std::unique_ptr<oqs::FileExchange> m_files;
};

} // namespace uketsuke::kiosk::eligibility
