"""The permission matrix's rules: who gets what from every URL and every API operation.

One line per URL name (or OpenAPI operationId). A URL or operation without a line here fails
`test_permission_matrix`, so a new page cannot ship without saying who may open it.

    "url name": (objects, GET, POST)

`objects` names the fixture objects (see `test_permission_matrix.path_kwargs`) put into the
path; they always belong to business A / provider A, so every other actor is asking for
another organisation's object. GET and POST are one code per actor, in this order:

    anon  bizA  memA  bizB  provA  provB  adv  advOut
    anonymous · business A's admin · a plain member of A · business B's admin · provider A ·
    provider B · a county adviser (no municipality limit) · an adviser limited to Vinje
    (4036), while both businesses of the world are in Seljord (4022)

The out-of-scope adviser (`portal.access.adviser_scope`) keeps every adviser page, list,
export, dashboard and county-wide task (survey rounds, the needs import, matching settings,
jobs, the county's webhooks), narrowed to their municipalities; a need, match, cohort,
meeting (held elsewhere and not created by them), meeting join request, organisation claim
or another adviser's needs import (a file may name businesses anywhere) outside the scope is
a 404, as are the API's needs and adviser match operations.

Codes: A allowed (2xx, a redirect that is not to the login, or a 400 for the empty form),
L sent to the login, 3 forbidden (403), 4 not found (404: what the user may not see is not
disclosed), M method not allowed (405), N not authenticated (API: 401 or 403),
- not checked.
"""

from __future__ import annotations

ACTORS = ("anon", "bizA", "memA", "bizB", "provA", "provB", "adv", "advOut")

# --- pages ---------------------------------------------------------------------------------
#   url name                         objects                  GET         POST
PAGE_RULES: dict[str, tuple[str, str, str]] = {
    "healthz":                        ("",                      "AAAAAAAA", "MMMMMMMM"),
    "portal:home":                    ("",                      "AAAAAAAA", "AAAAAAAA"),
    "portal:dashboard":               ("",                      "LAAAAAAA", "LAAAAAAA"),
    "portal:accessibility":           ("",                      "AAAAAAAA", "AAAAAAAA"),
    "portal:codes":                   ("",                      "AAAAAAAA", "AAAAAAAA"),
    "portal:codes_csv":               ("",                      "AAAAAAAA", "AAAAAAAA"),
    "portal:account":                 ("",                      "LAAAAAAA", "LAAAAAAA"),
    "portal:account_export":          ("",                      "LAAAAAAA", "LAAAAAAA"),
    "portal:account_delete":          ("",                      "LMMMMMMM", "LAAAAAAA"),
    "portal:api_token_create":        ("",                      "LMMMMMMM", "LAAAAAAA"),
    "portal:api_token_revoke":        ("api_token_a",           "LMMMMMMM", "LA444444"),
    "portal:webhook_list":            ("",                      "LA4AAAAA", "LA4AAAAA"),
    "portal:webhook_detail":          ("webhook_a",             "LA444444", "LA444444"),
    "portal:webhook_rotate":          ("webhook_a",             "LMMMMMMM", "LA444444"),
    "portal:webhook_delete":          ("webhook_a",             "LMMMMMMM", "LA444444"),
    "portal:webhook_resend":          ("webhook_delivery_a",    "LMMMMMMM", "LA444444"),
    "portal:notification_settings":   ("",                      "LMMMMMMM", "LAAAAAAA"),
    "portal:notifications":           ("",                      "LAAAAAAA", "LAAAAAAA"),
    "portal:job":                     ("job_pa",                "L444A4AA", "L444A4AA"),
    "portal:job_fragment":            ("job_pa",                "L444A4AA", "L444A4AA"),
    "portal:job_status":              ("job_pa",                "L444A4AA", "L444A4AA"),
    "portal:notification_read":       ("",                      "LMMMMMMM", "LAAAAAAA"),
    "portal:language_set":            ("",                      "MMMMMMMM", "AAAAAAAA"),
    "portal:organisation_start":      ("",                      "LAAAAAAA", "LAAAAAAA"),
    "portal:organisation_register":   ("",                      "LAAAAAAA", "LAAAAAAA"),
    "portal:organisation_join":       ("org_a_orgnr",           "LAAAAAAA", "LAAAAAAA"),
    "portal:organisation_switch":     ("",                      "LMMMMMMM", "L4444444"),
    "portal:organisation_members":    ("org_a",                 "LAA44444", "LAA44444"),
    "portal:organisation_profile":    ("org_a",                 "LAA44444", "LA344444"),
    "portal:join_request_decide":     ("join_request_a",        "LMMMMMMM", "LA444444"),
    "portal:membership_change":       ("membership_a",          "LMMMMMMM", "LA344444"),
    "portal:claim_list":              ("",                      "L33333AA", "L33333AA"),
    "portal:claim_decide":            ("pending_org",           "LMMMMMMM", "L33333A4"),
    "set_language":                   ("",                      "AAAAAAAA", "AAAAAAAA"),
    "needs:business_home":            ("",                      "LAAA3333", "LAAA3333"),
    "needs:need_create":              ("",                      "LAAA3333", "LAAA3333"),
    "needs:need_detail":              ("need_a",                "LAA444A4", "LAA444A4"),
    "needs:need_edit":                ("draft_need_a",          "LAA44444", "LAA44444"),
    "needs:need_submit":              ("draft_need_a",          "LMMMMMMM", "LAA44444"),
    "needs:need_withdraw":            ("need_a",                "LAA44444", "LAA44444"),
    "needs:area_search":              ("",                      "LAAAAAAA", "LMMMMMMM"),
    "needs:survey_start":             ("",                      "LAAA3333", "LAAA3333"),
    "needs:survey_step":              ("response_a_step",       "LAA44444", "LAA44444"),
    "needs:survey_need_add":          ("response_a",            "LAA44444", "LAA44444"),
    "needs:survey_need_edit":         ("survey_need_a",         "LAA44444", "LAA44444"),
    "needs:survey_need_delete":       ("survey_need_a",         "LMMMMMMM", "LAA44444"),
    "needs:adviser_list":             ("",                      "L33333AA", "L33333AA"),
    "needs:adviser_export":           ("",                      "L33333AA", "L33333AA"),
    "needs:round_list":               ("",                      "L33333AA", "L33333AA"),
    "needs:round_create":             ("",                      "L33333AA", "L33333AA"),
    "needs:round_edit":               ("round",                 "L33333AA", "L33333AA"),
    "needs:round_open":               ("round",                 "LMMMMMMM", "L33333AA"),
    "needs:round_close":              ("round",                 "LMMMMMMM", "L33333AA"),
    "needs:import_upload":            ("",                      "L33333AA", "L33333AA"),
    "needs:import_template":          ("csv",                   "L33333AA", "L33333AA"),
    "needs:import_preview":           ("need_import",           "L33333A4", "L33333A4"),
    "needs:import_confirm":           ("need_import",           "LMMMMMMM", "L33333A4"),
    "offers:catalogue":               ("",                      "AAAAAAAA", "AAAAAAAA"),
    "offers:detail":                  ("offer_pa",              "AAAAAAAA", "AAAAAAAA"),
    "offers:provider_home":           ("",                      "L333AA33", "L333AA33"),
    "offers:create":                  ("",                      "L333AA33", "L333AA33"),
    "offers:edit":                    ("draft_offer_pa",        "L333A433", "L333A433"),
    "offers:action":                  ("publish_offer_pa",      "L333A433", "L333A433"),
    "offers:import":                  ("",                      "L333AA33", "L333AA33"),
    "offers:import_confirm":          ("",                      "LMMMMMMM", "L333AA33"),
    "offers:import_preview":          ("",                      "L333AA33", "LMMMMMMM"),
    "offers:import_template":         ("csv",                   "L333AA33", "L333AA33"),
    "matching:adviser_home":          ("",                      "L33333AA", "L33333AA"),
    "matching:match_bulk":            ("",                      "LMMMMMMM", "L33333AA"),
    "matching:match_detail":          ("match_a",               "L33333A4", "L33333A4"),
    "matching:match_transition":      ("match_a",               "LMMMMMMM", "L33333A4"),
    "matching:match_note":            ("match_a",               "LMMMMMMM", "L33333A4"),
    "matching:cohort_list":           ("",                      "L33333AA", "L33333AA"),
    "matching:cohort_detail":         ("cohort",                "L33333A4", "L33333A4"),
    "matching:cohort_send":           ("cohort",                "LMMMMMMM", "L33333A4"),
    "matching:gap_report":            ("",                      "L33333AA", "L33333AA"),
    "matching:gap_report_csv":        ("",                      "L33333AA", "L33333AA"),
    "matching:barometer":             ("",                      "L33333AA", "L33333AA"),
    "matching:barometer_xlsx":        ("",                      "L33333AA", "L33333AA"),
    "matching:barometer_csv":         ("barometer_table",       "L33333AA", "L33333AA"),
    "matching:settings":              ("",                      "L33333AA", "L33333AA"),
    "matching:rematch_now":           ("",                      "LMMMMMMM", "L33333AA"),
    "matching:apply_tuned_weights":   ("",                      "LMMMMMMM", "L33333AA"),
    "matching:business_proposals":    ("",                      "LAAA3333", "LAAA3333"),
    "matching:proposal_accept":       ("match_a",               "LMMMMMMM", "LAA43333"),
    "matching:proposal_decline":      ("match_a",               "LAA43333", "LAA43333"),
    "matching:offer_interest":        ("offer_pa",              "LAAA3333", "LAAA3333"),
    "matching:provider_cohorts":      ("",                      "L333AA33", "L333AA33"),
    "matching:provider_demand":       ("",                      "L333AA33", "L333AA33"),
    "matching:provider_request":      ("cohort_request_pa",     "L333A433", "L333A433"),
    "barometer:public":               ("",                      "AAAAAAAA", "AAAAAAAA"),
    "barometer:data_csv":             ("",                      "AAAAAAAA", "AAAAAAAA"),
    "barometer:dataset":              ("",                      "AAAAAAAA", "AAAAAAAA"),
    "meetings:upcoming":              ("",                      "AAAAAAAA", "AAAAAAAA"),
    "meetings:upcoming_municipality": ("municipality",          "AAAAAAAA", "AAAAAAAA"),
    "meetings:token_reply":           ("reply_token",           "AAAAAAAA", "AAAAAAAA"),
    "meetings:mine":                  ("",                      "LAAAAAAA", "LAAAAAAA"),
    "meetings:detail":                ("meeting",               "4AA4A4A4", "4AA4A4A4"),
    "meetings:reply":                 ("meeting",               "LMMMMMMM", "LAA4A444"),
    "meetings:join":                  ("meeting",               "LMMMMMMM", "L4444444"),
    "meetings:slot_request":          ("meeting",               "LMMMMMMM", "LAA4A444"),
    "meetings:slot_answer":           ("slot_request",          "LMMMMMMM", "LAA4A444"),
    "meetings:agenda":                ("meeting",               "LAA4A444", "LAA4A444"),
    "meetings:ics":                   ("meeting",               "LAA4A4A4", "LAA4A4A4"),
    "meetings:adviser_list":          ("",                      "L33333AA", "L33333AA"),
    "meetings:create":                ("",                      "L33333AA", "L33333AA"),
    "meetings:manage":                ("meeting",               "L33333A4", "L33333A4"),
    "meetings:edit":                  ("meeting",               "L33333A4", "L33333A4"),
    "meetings:invite":                ("meeting",               "LMMMMMMM", "L33333A4"),
    "meetings:add_invitees":          ("meeting",               "LMMMMMMM", "L33333A4"),
    "meetings:cancel":                ("meeting",               "LMMMMMMM", "L33333A4"),
    "meetings:schedule":              ("meeting",               "LMMMMMMM", "L33333A4"),
    "meetings:outcome":               ("meeting",               "L33333A4", "L33333A4"),
    "meetings:join_decide":           ("meeting_join_request",  "LMMMMMMM", "L33333A4"),
    "api-schema":                     ("",                      "AAAAAAAA", "MMMMMMMM"),
    "api-docs":                       ("",                      "AAAAAAAA", "MMMMMMMM"),
    "api-redoc":                      ("",                      "AAAAAAAA", "MMMMMMMM"),
    "favicon.ico":                    ("",                      "AAAAAAAA", "AAAAAAAA"),
}

# Not walked here, with the reason (a name with a PAGE_RULES line is walked all the same).
NOT_WALKED: dict[str, str] = {
    "api-*": "REST API: checked per OpenAPI operation in API_RULES; a route the schema does "
             "not document fails the matrix unless it has a page rule",
    "admin:*": "Django admin: staff only, behind the portal login and a second factor "
               "(tests/portal/test_mfa.py)",
    "account_*": "allauth's own pages (login, sign-up, e-mail, password): anyone, by design",
    "mfa_*": "allauth's two-factor pages: the signed-in person's own authenticators",
    "socialaccount_*": "allauth's pages for sign-in through ID-porten (sign-up, connections, "
                       "errors): the signed-in person's own, tests/portal/test_idporten.py",
    "social/*": "allauth's old addresses of its sign-in pages: permanent redirects",
    "openid_connect_*": "the ID-porten sign-in and its callback: anyone (404 unless the "
                        "county configured ID-porten), tests/portal/test_idporten.py",
}

# --- API operations (operationId from /api/schema/) ----------------------------------------
#   operationId                      objects             codes
API_RULES: dict[str, tuple[str, str]] = {
    "v1_barometer_retrieve":          ("",                 "AAAAAAAA"),
    "v1_cohorts_list":                ("",                 "N33333AA"),
    "v1_competence_areas_list":       ("",                 "AAAAAAAA"),
    "v1_gaps_retrieve":               ("",                 "N33333AA"),
    "v1_matches_list":                ("",                 "NAAAAAAA"),
    "v1_matches_accept_create":       ("match_a",          "NAA43333"),
    "v1_matches_approve_create":      ("match_a",          "N33333A4"),
    "v1_matches_decline_create":      ("match_a",          "NAA43333"),
    "v1_matches_enroll_create":       ("match_a",          "N33333A4"),
    "v1_matches_propose_create":      ("match_a",          "N33333A4"),
    "v1_matches_reject_create":       ("match_a",          "N33333A4"),
    "v1_municipalities_list":         ("",                 "AAAAAAAA"),
    "v1_rounds_list":                 ("",                 "AAAAAAAA"),
    "v1_needs_list":                  ("",                 "NAAAAAAA"),
    "v1_needs_create":                ("",                 "NAAA3333"),
    "v1_needs_retrieve":              ("need_a",           "NAA444A4"),
    "v1_needs_update":                ("draft_need_a",     "NAA43333"),
    "v1_needs_partial_update":        ("draft_need_a",     "NAA43333"),
    "v1_needs_submit_create":         ("draft_need_a",     "NAA43333"),
    "v1_needs_withdraw_create":       ("need_a",           "NAA43333"),
    "v1_offers_list":                 ("",                 "AAAAAAAA"),
    "v1_offers_create":               ("",                 "N333AA33"),
    "v1_offers_retrieve":             ("offer_pa",         "AAAAAAAA"),
    "v1_offers_update":               ("draft_offer_pa",   "N333A433"),
    "v1_offers_partial_update":       ("draft_offer_pa",   "N333A433"),
    "v1_offers_archive_create":       ("offer_pa",         "N333A433"),
    "v1_offers_publish_create":       ("draft_offer_pa",   "N333A433"),
    "v1_offers_unpublish_create":     ("offer_pa",         "N333A433"),
    "v1_offers_bulk_update":          ("",                 "N333AA33"),
}
# Methods a path does not document must never succeed: anonymous gets N (or 405), everyone
# else 405 (or 403), for POST, PUT, PATCH and DELETE on every API path.
UNDOCUMENTED_METHOD = "not 2xx"
