#pragma once

// The OQS element layout of the model, written once. Each visitX(object, visitor) walks the
// members of one struct in OQS order, naming each by its element. The JSON form (json.cpp) and
// the XML form (oqs_xml.cpp) both read and write through these functions, so the two formats
// and the two directions cannot drift apart. Internal to kiosk/model (and its tests).
//
// A visitor offers:
//   text(name, member)                  a leaf element held in a std::string (names, which
//                                       are PatientName, reach it through name() below)
//   group(name, fn)                     a nested element; fn(subVisitor) visits its content
//   list(name, itemName, vector, fn)    <name><itemName>…</itemName>…</name>; fn(v, item)
//   others(vector<OtherElement>)        every element of this level not named so far (last)
//   others()                            the same, for a level with nowhere to keep them
//                                       (dropped, and their names logged)
// `Self` is the struct or the const struct, so one function serves readers and writers.

#include "kiosk/model/qualification.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace uketsuke::kiosk::model::fields {

// A name as a leaf element: a writer gets its text, a reader fills it (PatientName has no
// string conversion, so the visitors need not know the type).
template <class V>
void name(V& v, std::string_view element, const PatientName& value)
{
    v.text(element, value.reveal());
}
template <class V>
void name(V& v, std::string_view element, PatientName& value)
{
    std::string text = value.reveal();
    v.text(element, text);
    value = PatientName(std::move(text));
}

template <class Self, class V>
void visitHeader(Self& h, V& v)
{
    v.text("ProcessExecutionTime", h.processExecutionTime);
    v.text("QualificationConfirmationDate", h.qualificationConfirmationDate);
    v.text("MedicalInstitutionCode", h.medicalInstitutionCode);
    v.text("ArbitraryFileIdentifier", h.arbitraryFileIdentifier);
    v.text("ReferenceClassification", h.referenceClassification);
    v.text("SegmentOfResult", h.segmentOfResult);
    v.text("ErrorCode", h.errorCode);
    v.text("ErrorMessage", h.errorMessage);
    v.text("CharacterCodeIdentifier", h.characterCodeIdentifier);
    v.text("ReceptionNumber", h.receptionNumber);
    v.text("NumberOfProcessingResult", h.numberOfProcessingResult);
    v.text("NumberOfNormalProcessing", h.numberOfNormalProcessing);
    v.text("NumberOfError", h.numberOfError);
    v.others(h.otherElements);
}

template <class Self, class V>
void visitLimitInfo(Self& l, V& v)
{
    v.text("LimitApplicationCertificateClassification",
           l.limitApplicationCertificateClassification);
    v.text("LimitApplicationCertificateClassificationFlag",
           l.limitApplicationCertificateClassificationFlag);
    v.text("LimitApplicationCertificateDate", l.limitApplicationCertificateDate);
    v.text("LimitApplicationCertificateValidStartDate",
           l.limitApplicationCertificateValidStartDate);
    v.text("LimitApplicationCertificateValidEndDate", l.limitApplicationCertificateValidEndDate);
    v.text("LimitApplicationCertificateLongTermDate", l.limitApplicationCertificateLongTermDate);
    v.others(l.otherElements);
}

template <class Self, class V>
void visitSpecificDisease(Self& s, V& v)
{
    v.text("SpecificDiseasesDiseaseCategory", s.specificDiseasesDiseaseCategory);
    v.text("SpecificDiseasesCertificateDate", s.specificDiseasesCertificateDate);
    v.text("SpecificDiseasesValidStartDate", s.specificDiseasesValidStartDate);
    v.text("SpecificDiseasesValidEndDate", s.specificDiseasesValidEndDate);
    v.text("SpecificDiseasesSelfPay", s.specificDiseasesSelfPay);
    v.others(s.otherElements);
}

template <class Self, class V>
void visitMedicalTicket(Self& t, V& v)
{
    v.text("TicketType", t.ticketType);
    v.text("MedicalTicketValidDate", t.medicalTicketValidDate);
    v.text("MedicalTicketExpirationDate", t.medicalTicketExpirationDate);
    v.text("IssueNumber", t.issueNumber);
    v.text("MedicalTreatmentMonth", t.medicalTreatmentMonth);
    v.text("DesignatedMedicalInstitutionCode", t.designatedMedicalInstitutionCode);
    v.text("DesignatedMedicalInstitutionFlag", t.designatedMedicalInstitutionFlag);
    v.text("DesignatedMedicalInstitutionName", t.designatedMedicalInstitutionName);
    v.text("PrescriptionIssuerMedicalInstitutionCode", t.prescriptionIssuerMedicalInstitutionCode);
    v.text("PrescriptionIssuerMedicalInstitutionName", t.prescriptionIssuerMedicalInstitutionName);
    v.text("InjuryName1", t.injuryName1);
    v.text("InjuryName2", t.injuryName2);
    v.text("InjuryName3", t.injuryName3);
    v.text("MedicalTreatmentType", t.medicalTreatmentType);
    v.text("SelfPayAmount", t.selfPayAmount);
    v.text("DistrictContactName", t.districtContactName);
    v.text("HandlingContactName", t.handlingContactName);
    v.text("SingleOrCombinedUse", t.singleOrCombinedUse);
    v.text("StatusOfSocialInsurance", t.statusOfSocialInsurance);
    v.text("ConsistencyFlag", t.consistencyFlag);
    v.text("StatusOfInfecton", t.statusOfInfection);
    v.text("StatusOfElderlyMedicalCare", t.statusOfElderlyMedicalCare);
    v.text("StatusOfPrefecturalExpenses", t.statusOfPrefecturalExpenses);
    v.text("Remarks1", t.remarks1);
    v.text("Remarks2", t.remarks2);
    v.text("Remarks3", t.remarks3);
    v.others(t.otherElements);
}

// <Prefix>ConsFlg, <Prefix>ConsTime, <Prefix>AvailableTime: flat elements of the person.
template <class Self, class V>
void visitConsent(const std::string& prefix, Self& c, V& v)
{
    v.text(prefix + "ConsFlg", c.consFlg);
    v.text(prefix + "ConsTime", c.consTime);
    v.text(prefix + "AvailableTime", c.availableTime);
}

template <class Self, class V>
void visitPerson(Self& p, V& v)
{
    v.text("InsuredCardClassification", p.insuredCardClassification);
    v.text("InsurerNumber", p.insurerNumber);
    v.text("InsuredCardSymbol", p.insuredCardSymbol);
    v.text("InsuredIdentificationNumber", p.insuredIdentificationNumber);
    v.text("InsuredBranchNumber", p.insuredBranchNumber);
    v.text("PublicExpenseNumber", p.publicExpenseNumber);
    v.text("BeneficiaryNumber", p.beneficiaryNumber);
    v.text("PersonalFamilyClassification", p.personalFamilyClassification);
    name(v, "InsuredName", p.insuredName);
    name(v, "Name", p.name);
    name(v, "NameOfOther", p.nameOfOther);
    name(v, "NameKana", p.nameKana);
    name(v, "NameOfOtherKana", p.nameOfOtherKana);
    v.text("Sex1", p.sex1);
    v.text("Sex2", p.sex2);
    v.text("Birthdate", p.birthdate);
    v.text("Address", p.address);
    v.text("PostNumber", p.postNumber);
    v.text("QualificationDate", p.qualificationDate);
    v.text("DisqualificationDate", p.disqualificationDate);
    v.text("InsuredCertificateIssuanceDate", p.insuredCertificateIssuanceDate);
    v.text("InsuredCardValidDate", p.insuredCardValidDate);
    v.text("InsuredCardExpirationDate", p.insuredCardExpirationDate);
    v.text("InsuredPartialContributionRatio", p.insuredPartialContributionRatio);
    v.text("PreschoolClassification", p.preschoolClassification);
    v.text("ReasonOfLoss", p.reasonOfLoss);
    v.text("InsurerName", p.insurerName);
    v.text("WelfareOfficeName", p.welfareOfficeName);
    v.group("ElderlyRecipientCertificateInfo", [&p](auto& g) {
        g.text("ElderlyRecipientCertificateDate", p.elderlyRecipientCertificateDate);
        g.text("ElderlyRecipientValidStartDate", p.elderlyRecipientValidStartDate);
        g.text("ElderlyRecipientValidEndDate", p.elderlyRecipientValidEndDate);
        g.text("ElderlyRecipientContributionRatio", p.elderlyRecipientContributionRatio);
        g.others();
    });
    v.text("LimitApplicationCertificateRelatedConsFlg",
           p.limitApplicationCertificateRelatedConsFlg);
    v.text("LimitApplicationCertificateRelatedConsTime",
           p.limitApplicationCertificateRelatedConsTime);
    v.group("LimitApplicationCertificateRelatedInfo",
            [&p](auto& g) { visitLimitInfo(p.limitApplicationCertificateRelatedInfo, g); });
    v.text("SpecificDiseasesCertificateRelatedConsFlg",
           p.specificDiseasesCertificateRelatedConsFlg);
    v.text("SpecificDiseasesCertificateRelatedConsTime",
           p.specificDiseasesCertificateRelatedConsTime);
    v.list("SpecificDiseasesCertificateList", "SpecificDiseasesCertificateInfo",
           p.specificDiseasesCertificateList,
           [](auto& item, auto& info) { visitSpecificDisease(info, item); });
    v.list("PublicExpenseResultList", "MedicalTicketInfo", p.publicExpenseResultList,
           [](auto& item, auto& ticket) { visitMedicalTicket(ticket, item); });
    visitConsent("SpecificHealthCheckupsInfo", p.specificHealthCheckupsInfo, v);
    visitConsent("PharmacistsInfo", p.pharmacistsInfo, v);
    visitConsent("DiagnosisInfo", p.diagnosisInfo, v);
    visitConsent("OperationInfo", p.operationInfo, v);
    v.text("ArbitraryIdentifier", p.arbitraryIdentifier);
    v.text("ReferenceNumber", p.referenceNumber);
    v.text("QualificationConfirmationKey", p.qualificationConfirmationKey);
    v.others(p.otherElements);
}

template <class Self, class V>
void visitSearchInfo(Self& s, V& v)
{
    v.text("InsurerNumber", s.insurerNumber);
    v.text("InsuredCardSymbol", s.insuredCardSymbol);
    v.text("InsuredIdentificationNumber", s.insuredIdentificationNumber);
    v.text("InsuredBranchNumber", s.insuredBranchNumber);
    v.text("Birthdate", s.birthdate);
    v.text("LimitApplicationCertificateRelatedConsFlg",
           s.limitApplicationCertificateRelatedConsFlg);
    v.text("ArbitraryIdentifier", s.arbitraryIdentifier);
    v.others(s.otherElements);
}

template <class Self, class V>
void visitBody(Self& b, V& v)
{
    v.text("ProcessingResultStatus", b.processingResultStatus);
    v.text("ProcessingResultCode", b.processingResultCode);
    v.text("ProcessingResultMessage", b.processingResultMessage);
    v.text("QualificationValidity", b.qualificationValidity);
    v.text("PrescriptionIssueSelect", b.prescriptionIssueSelect);
    v.group("QualificationConfirmSearchInfo",
            [&b](auto& g) { visitSearchInfo(b.qualificationConfirmSearchInfo, g); });
    v.list("ResultList", "ResultOfQualificationConfirmation", b.resultList,
           [](auto& item, auto& person) { visitPerson(person, item); });
    v.others(b.otherElements);
}

} // namespace uketsuke::kiosk::model::fields
