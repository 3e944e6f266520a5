"""Forms of the document library. Rules (valid symbols, dates, the amend/replace chain) are decided by
domain.py and services.py; these forms only read the input."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import Form, SelectField, StringField, TextAreaField
from wtforms.fields import DateField, SearchField
from wtforms.validators import DataRequired, Length, Optional

from elearn.admin.forms import choice
from elearn.documents import domain
from elearn.documents.services import DocumentData


def kind_choices(blank: str | None = None) -> list:
    first = [choice("", blank)] if blank else []
    return first + [choice(str(k), _l(label)) for k, label in domain.KIND_LABELS.items()]


class DocumentForm(FlaskForm):
    symbol = StringField(_l("Number and symbol"),
                         validators=[DataRequired(_l("The number and symbol are required, e.g. 57-NQ/TW.")),
                                     Length(max=domain.MAX_SYMBOL)],
                         render_kw={"placeholder": "57-NQ/TW", "autocomplete": "off"})
    kind = SelectField(_l("Kind of document"), validate_choice=False)
    title = StringField(_l("Title"), validators=[DataRequired(_l("The title (summary line) is required.")),
                                                 Length(max=domain.MAX_TITLE)])
    issuing_body = StringField(_l("Issuing body"), validators=[DataRequired(_l("The issuing body is required.")),
                                                               Length(max=domain.MAX_BODY)],
                               render_kw={"placeholder": "Bộ Chính trị", "list": "issuing-bodies"})
    issued_on = DateField(_l("Date issued"), validators=[DataRequired(_l("The date issued is required."))])
    effective_on = DateField(_l("Effective date"), validators=[Optional()])
    tags = StringField(_l("Subject tags"), validators=[Optional(), Length(max=1500)],
                       render_kw={"placeholder": "chuyển đổi số, khoa học công nghệ"})
    summary = TextAreaField(_l("Summary"), validators=[Optional()], render_kw={"rows": 8})
    file = FileField(_l("Full text as PDF"), render_kw={"accept": ".pdf,application/pdf"})
    body_text = TextAreaField(_l("Full text (typed or pasted)"), validators=[Optional()], render_kw={"rows": 10})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices()

    def data_object(self) -> DocumentData:
        return DocumentData(symbol=self.symbol.data or "", kind=self.kind.data or "", title=self.title.data or "",
                            issuing_body=self.issuing_body.data or "", issued_on=self.issued_on.data,
                            effective_on=self.effective_on.data, summary=self.summary.data or "",
                            tags=domain.clean_tags(self.tags.data or ""), body_text=self.body_text.data or "")


def form_data(document) -> dict:
    return {"symbol": document.symbol, "kind": document.kind, "title": document.title,
            "issuing_body": document.issuing_body, "issued_on": document.issued_on,
            "effective_on": document.effective_on, "tags": ", ".join(document.tag_names),
            "summary": document.summary, "body_text": document.body_text}


class ChangeForm(FlaskForm):
    """A newer document amends or replaces this one."""

    change = SelectField(_l("What the newer document does"), validate_choice=False)
    by_symbol = StringField(_l("Number and symbol of the newer document"),
                            validators=[DataRequired(_l("Give the number and symbol of the newer document.")),
                                        Length(max=domain.MAX_SYMBOL)], render_kw={"autocomplete": "off"})
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.change.choices = [choice(str(domain.Change.AMENDS), _l("It amends this document (sửa đổi, bổ sung)")),
                               choice(str(domain.Change.REPLACES), _l("It replaces this document (thay thế)"))]


class CiteForm(FlaskForm):
    symbol = StringField(_l("Number and symbol of the document"),
                         validators=[DataRequired(_l("Give the number and symbol of a document in the library.")),
                                     Length(max=domain.MAX_SYMBOL)],
                         render_kw={"autocomplete": "off", "list": "library-symbols", "placeholder": "57-NQ/TW"})


class SearchForm(Form):
    """Library search and filters, read from the query string (GET, no CSRF needed)."""

    q = SearchField(_l("Search the library"), validators=[Optional(), Length(max=200)],
                    render_kw={"placeholder": _l("e.g. nghi quyet 57, 57-NQ/TW, chuyển đổi số")})
    kind = SelectField(_l("Kind of document"), validate_choice=False)
    status = SelectField(_l("Status"), validate_choice=False)
    body = SelectField(_l("Issuing body"), validate_choice=False)
    tag = StringField(_l("Subject tag"), validators=[Optional(), Length(max=60)])
    date_from = DateField(_l("Issued from"), validators=[Optional()])
    date_to = DateField(_l("Issued until"), validators=[Optional()])

    def __init__(self, *args, bodies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = kind_choices(_("All kinds"))
        self.status.choices = [choice("", _("Any status"))] + [choice(str(s), _l(label))
                                                               for s, label in domain.STATUS_LABELS.items()]
        self.body.choices = [choice("", _("All issuing bodies"))] + [choice(b, b) for b in bodies]
