/* R50 document intake on the admin API: POST /v1/admin/documents takes a raw
 * e-mail as a mail server hands it over, decides on it (src/intake) and
 * stores either every document of it with one audit record, or the rejection
 * with its reason — each in one transaction, never half. The GET routes list
 * a user's documents, hand out one document's bytes and list rejections. */
#ifndef SLS_SERVER_API_DOCUMENTS_H
#define SLS_SERVER_API_DOCUMENTS_H

#include "server/http/http.h"

void sls_api_admin_document_ingest(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_document_list(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_document_content(struct sls_req *rq, struct sls_resp *rs);

void sls_api_admin_document_rejections(struct sls_req *rq, struct sls_resp *rs);

#endif
