"""The words of the printed consent forms, in English and Spanish.

Plain language on purpose: the client reads and signs these. The Spanish is written as Spanish (not a word
for word rendering of the English) and uses "usted". Both say the same things, item for item, so staff can
point to the same place on either form. Rights stated follow HUD's HMIS Privacy and Security Standards
(69 FR 45888, 2004, §4.2: purpose and use limitations, openness, access and correction, accountability).
"""

from __future__ import annotations

from datetime import date

LANGUAGES = ("en", "es")
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

# The release's data categories (hearth.consent: Release.categories), in the order forms list them.
CATEGORIES = ("identity", "enrollment_history", "services", "health_dv", "case_notes", "files")

_MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(value: date | None, language: str) -> str:
    """A date written out in words: no one misreads 03/04 as April 3 (or March 4) on a signed form."""
    if value is None:
        return ""
    if language == "es":
        return f"{value.day} de {_MONTHS_ES[value.month - 1]} de {value.year}"
    return f"{_MONTHS_EN[value.month - 1]} {value.day}, {value.year}"


TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "system": "{coc} Homeless Management Information System (HMIS)",
        "confidential": "Confidential: this form contains personal information.",
        "footer": "Reference {reference} · Printed {printed} · Page {page} of {pages}",
        "draft": "not yet recorded",
        # Consent to share
        "consent_title": "Consent to Share Information",
        "consent_intro": (
            "{coc} uses a shared database, the Homeless Management Information System (HMIS), to coordinate "
            "housing and services for people experiencing homelessness. With your permission, the agencies named "
            "below may see and use the information checked on this form to help you get services and housing "
            "sooner, without asking you for the same information again."
        ),
        "about_you": "About you",
        "name": "Name",
        "dob": "Date of birth",
        "hearth_id": "Hearth ID",
        "members": "Household members this consent covers",
        "through_self": "Signs for themselves",
        "through_head_of_household": "Signed for by the head of household",
        "through_guardian": "Signed for by a parent or legal guardian",
        "signed_how": "Who signs",
        "who": "Who may see your information",
        "coc_wide": "All agencies that take part in the {coc} HMIS.",
        "only_agencies": "Only these agencies:",
        "only_projects": "Only these programs:",
        "recording_agency": "Agency recording this consent: {agency}",
        "what": "What information may be shared",
        "what_hint": "Only the checked items are shared.",
        "cat_identity": (
            "Identifying information: name, date of birth, Social Security number, race and ethnicity, sex, "
            "veteran status"
        ),
        "cat_enrollment_history": (
            "Program history: the programs you have stayed in or received help from, with their dates and where "
            "you went afterwards"
        ),
        "cat_services": "Services you received, such as shelter nights, meals, case management and rent assistance",
        "cat_health_dv": (
            "Health information: disabilities, health conditions and pregnancy. Answers about domestic violence "
            "stay with the agency that recorded them and are never shared, even with this consent."
        ),
        "cat_case_notes": "Case notes written by staff",
        "cat_files": "Documents, such as identification and income or disability verifications",
        "when": "When this consent applies",
        "period_until": "From {start} until {end}.",
        "period_open": "From {start} until you revoke it.",
        "rights": "Your rights",
        "right_refuse": (
            "You do not have to sign this form. If you do not, you will still receive services; only the agencies "
            "that serve you directly will see your information."
        ),
        "right_revoke": (
            "You may revoke (cancel) this consent at any time by telling any participating agency in writing. "
            "It stops at once. Information already shared before then cannot be taken back."
        ),
        "right_log": (
            "You may ask for a record of who has seen your information (the disclosure log), and ask to see and "
            "correct your information."
        ),
        "right_notice": (
            "You were offered the privacy notice, version {version}, which explains how your information is used "
            "and protected. You may ask for a copy at any time."
        ),
        "right_law": (
            "Your information is protected by HUD's HMIS Privacy and Security Standards (69 FR 45888) and by any "
            "stricter federal, state or local law."
        ),
        "questions": ("Questions? Ask the staff member who gave you this form, or the HMIS Lead agency of {coc}."),
        "signatures": "Signatures",
        "sign_client": "Signature of client (or parent or legal guardian)",
        "sign_date": "Date",
        "sign_printed": "Printed name",
        "sign_staff": "Staff member",
        "sign_agency": "Agency",
        "verbal": (
            "Consent given verbally, in person or by telephone, on {date} and recorded by {staff}. The client is "
            "asked to sign this form by {due}."
        ),
        "electronic": "Signed electronically on screen on {date}, in the presence of {staff}.",
        "typed": "Signed by typing their name: {name}",
        # Revocation
        "revocation_title": "Revocation of Consent to Share Information",
        "revocation_intro": (
            "I revoke (cancel) the consent to share my information in the {coc} HMIS described below. From the "
            "date of this revocation, agencies that do not serve me directly may no longer see my information "
            "under this consent. Information shared before this date cannot be taken back."
        ),
        "revoked_consent": "The consent being revoked",
        "given_on": "Consent given on",
        "covering": "It covered",
        "effective": "Revocation takes effect",
        "effective_blank": "On the date it is signed",
        "reason": "Reason (optional)",
        "deidentify": (
            "Under the policy of {coc}, your name, date of birth and Social Security number are removed from the "
            "shared record. The services you received stay counted, without identifying you."
        ),
        "recorded_by": "Revocation recorded by {staff} on {date}.",
        # Disclosure log
        "log_title": "Record of Disclosures",
        "log_intro": (
            "This record lists when staff of an agency that does not serve you directly, or an export or referral, "
            "used your information in the {coc} HMIS, and under which consent. Printed at your request."
        ),
        "log_period": "Period: {start} to {end}",
        "log_when": "When",
        "log_who": "Who",
        "log_agency": "Agency",
        "log_what": "What",
        "log_under": "Under",
        "log_none": "No disclosures in this period.",
        "log_direct": "No consent needed",
        "log_release": "Consent {reference}",
        "what_profile": "Profile",
        "what_export": "Export",
        "what_referral": "Referral",
        "what_report_drilldown": "Report detail",
        "what_file": "Document",
    },
    "es": {
        "system": "Sistema de Información sobre Personas sin Hogar (HMIS) de {coc}",
        "confidential": "Confidencial: este formulario contiene información personal.",
        "footer": "Referencia {reference} · Impreso el {printed} · Página {page} de {pages}",
        "draft": "aún no registrada",
        "consent_title": "Autorización para compartir información",
        "consent_intro": (
            "{coc} utiliza una base de datos compartida, el Sistema de Información sobre Personas sin Hogar (HMIS, "
            "por sus siglas en inglés), para coordinar la vivienda y los servicios para personas sin hogar. Con su "
            "permiso, las agencias indicadas abajo podrán ver y usar la información marcada en este formulario "
            "para ayudarle a conseguir servicios y vivienda más pronto, sin volver a pedirle los mismos datos."
        ),
        "about_you": "Sus datos",
        "name": "Nombre",
        "dob": "Fecha de nacimiento",
        "hearth_id": "Número de Hearth",
        "members": "Miembros del hogar que incluye esta autorización",
        "through_self": "Firma por sí mismo/a",
        "through_head_of_household": "Firma en su nombre el jefe o la jefa del hogar",
        "through_guardian": "Firma en su nombre su padre, madre o tutor legal",
        "signed_how": "Quién firma",
        "who": "Quién puede ver su información",
        "coc_wide": "Todas las agencias que participan en el HMIS de {coc}.",
        "only_agencies": "Solo estas agencias:",
        "only_projects": "Solo estos programas:",
        "recording_agency": "Agencia que registra esta autorización: {agency}",
        "what": "Qué información se puede compartir",
        "what_hint": "Solo se comparte lo que está marcado.",
        "cat_identity": (
            "Datos de identificación: nombre, fecha de nacimiento, número de Seguro Social, raza y origen étnico, "
            "sexo y condición de veterano"
        ),
        "cat_enrollment_history": (
            "Historial de programas: los programas en los que ha estado o de los que ha recibido ayuda, con sus "
            "fechas y a dónde fue después"
        ),
        "cat_services": (
            "Servicios que ha recibido, como noches de albergue, comidas, manejo de casos y ayuda con el alquiler"
        ),
        "cat_health_dv": (
            "Información de salud: discapacidades, problemas de salud y embarazo. Las respuestas sobre violencia "
            "doméstica se quedan en la agencia que las registró y nunca se comparten, ni siquiera con esta "
            "autorización."
        ),
        "cat_case_notes": "Notas del caso escritas por el personal",
        "cat_files": "Documentos, como identificaciones y comprobantes de ingresos o de discapacidad",
        "when": "Cuándo se aplica esta autorización",
        "period_until": "Desde el {start} hasta el {end}.",
        "period_open": "Desde el {start} hasta que usted la revoque.",
        "rights": "Sus derechos",
        "right_refuse": (
            "No está obligado/a a firmar este formulario. Si no lo firma, seguirá recibiendo servicios; solo las "
            "agencias que le atienden directamente verán su información."
        ),
        "right_revoke": (
            "Puede revocar (cancelar) esta autorización en cualquier momento, avisando por escrito a cualquier "
            "agencia participante. Deja de aplicarse de inmediato. La información que ya se haya compartido no se "
            "puede recuperar."
        ),
        "right_log": (
            "Puede pedir un registro de quién ha visto su información (el registro de divulgaciones), y pedir ver "
            "y corregir sus datos."
        ),
        "right_notice": (
            "Se le ofreció el aviso de privacidad, versión {version}, que explica cómo se usa y se protege su "
            "información. Puede pedir una copia en cualquier momento."
        ),
        "right_law": (
            "Su información está protegida por las Normas de Privacidad y Seguridad del HMIS del HUD (69 FR 45888) "
            "y por cualquier ley federal, estatal o local que sea más estricta."
        ),
        "questions": (
            "¿Tiene preguntas? Pregunte al miembro del personal que le entregó este formulario o a la agencia "
            "líder del HMIS de {coc}."
        ),
        "signatures": "Firmas",
        "sign_client": "Firma del cliente (o de su padre, madre o tutor legal)",
        "sign_date": "Fecha",
        "sign_printed": "Nombre en letra de molde",
        "sign_staff": "Miembro del personal",
        "sign_agency": "Agencia",
        "verbal": (
            "Autorización dada verbalmente, en persona o por teléfono, el {date} y registrada por {staff}. Se le "
            "pide al cliente que firme este formulario a más tardar el {due}."
        ),
        "electronic": "Firmado electrónicamente en pantalla el {date}, en presencia de {staff}.",
        "typed": "Firmado escribiendo su nombre: {name}",
        "revocation_title": "Revocación de la autorización para compartir información",
        "revocation_intro": (
            "Revoco (cancelo) la autorización para compartir mi información en el HMIS de {coc} que se describe "
            "abajo. A partir de la fecha de esta revocación, las agencias que no me atienden directamente ya no "
            "podrán ver mi información con base en esta autorización. La información compartida antes de esa "
            "fecha no se puede recuperar."
        ),
        "revoked_consent": "La autorización que se revoca",
        "given_on": "Autorización dada el",
        "covering": "Incluía a",
        "effective": "La revocación tiene efecto",
        "effective_blank": "En la fecha en que se firme",
        "reason": "Motivo (opcional)",
        "deidentify": (
            "Según la política de {coc}, su nombre, fecha de nacimiento y número de Seguro Social se retiran del "
            "registro compartido. Los servicios que recibió se siguen contando, sin identificarle."
        ),
        "recorded_by": "Revocación registrada por {staff} el {date}.",
        "log_title": "Registro de divulgaciones",
        "log_intro": (
            "Este registro indica cuándo el personal de una agencia que no le atiende directamente, o una "
            "exportación o una derivación, usó su información en el HMIS de {coc}, y con base en qué "
            "autorización. Impreso a petición suya."
        ),
        "log_period": "Periodo: del {start} al {end}",
        "log_when": "Fecha",
        "log_who": "Quién",
        "log_agency": "Agencia",
        "log_what": "Qué",
        "log_under": "Con base en",
        "log_none": "No hubo divulgaciones en este periodo.",
        "log_direct": "No requiere autorización",
        "log_release": "Autorización {reference}",
        "what_profile": "Perfil",
        "what_export": "Exportación",
        "what_referral": "Derivación",
        "what_report_drilldown": "Detalle de informe",
        "what_file": "Documento",
    },
}

# Category names as a disclosure log's "what" column shows them (short forms of the category sentences).
CATEGORY_SHORT: dict[str, dict[str, str]] = {
    "en": {
        "identity": "Identifying information",
        "enrollment_history": "Program history",
        "services": "Services",
        "health_dv": "Health information",
        "case_notes": "Case notes",
        "files": "Documents",
    },
    "es": {
        "identity": "Datos de identificación",
        "enrollment_history": "Historial de programas",
        "services": "Servicios",
        "health_dv": "Información de salud",
        "case_notes": "Notas del caso",
        "files": "Documentos",
    },
}


def text(language: str, key: str, **values: object) -> str:
    words = TEXTS[language if language in TEXTS else "en"][key]
    return words.format(**values) if values else words
