select document_id, term, n
from {{ source('core', 'document_terms') }}
