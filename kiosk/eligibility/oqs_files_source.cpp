#include "kiosk/eligibility/oqs_files_source.hpp"

namespace uketsuke::kiosk::eligibility {

OqsFilesSource::OqsFilesSource(std::unique_ptr<oqs::FileExchange> files)
    : m_files(std::move(files))
{
}

Result<std::unique_ptr<OqsFilesSource>> OqsFilesSource::create(OqsFilesOptions options)
{
    auto files = oqs::FileExchange::create(std::move(options));
    if (!files) {
        return fail(std::move(files).error());
    }
    return std::unique_ptr<OqsFilesSource>(new OqsFilesSource(std::move(*files)));
}

Result<Challenge> OqsFilesSource::challenge()
{
    return fail(Errc::NotSupported, "oqs-files cannot confirm a My Number card signature");
}

Result<model::QualificationResult> OqsFilesSource::confirm(const ConfirmRequest&)
{
    return fail(Errc::NotSupported, "oqs-files cannot confirm a My Number card signature");
}

Result<model::QualificationResult> OqsFilesSource::lookup(const InsuranceCardQuery& query)
{
    return m_files->lookup(query);
}

void OqsFilesSource::cancel()
{
    m_files->cancel();
}

} // namespace uketsuke::kiosk::eligibility
