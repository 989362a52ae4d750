select document_id, source_file, segment_no, title, text, n_chars, province, city, county, year, period,
    region_evidence, period_evidence, doc_kind
from core.documents
where document_id = ?
