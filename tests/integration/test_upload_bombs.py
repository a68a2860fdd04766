"""A zip-bomb CV uploaded through the service the web chat uses: refused, nothing stored."""

from __future__ import annotations

import io
import resource
import time
import zipfile
from collections.abc import Iterator

import pytest

from agent.service import JobfitService
from tests.integration.agent_store import build_store
from tools.errors import DocumentTooLargeError

MB = 1024 * 1024


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("bombs") / "data")
    yield svc
    svc.engine.dispose()


def bomb_docx(unpacked: int) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Jane Doe - Python developer")
    buf = io.BytesIO()
    document.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out_buf = io.BytesIO()
    para = b"<w:p><w:r><w:t>" + b"python developer " * 50 + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(out_buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            if info.filename != "word/document.xml":
                out.writestr(info, src.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                         b'wordprocessingml/2006/main"><w:body>')
                chunk = para * (MB // len(para))
                for _ in range(unpacked // MB):
                    fh.write(chunk)
                fh.write(b"</w:body></w:document>")
    return out_buf.getvalue()


def test_uploaded_zip_bomb_is_refused_and_not_stored(service: JobfitService) -> None:
    data = bomb_docx(500 * MB)
    assert len(data) < service.max_upload_bytes
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    with pytest.raises(DocumentTooLargeError, match="unpacks to .* the limit is 50.0 MB"):
        service.save_cv("mallory", data=data, file_name="cv.docx")
    assert time.perf_counter() - t0 < 2.0
    # the process's peak did not move by more than a few MB (python-docx never opened it)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024
    assert service.list_cvs("mallory") == []
