"""The app's words in Swedish and English.

``t(key, **values)`` gives the string in the language of this browser tab
(``st.session_state["qc_lang"]``, default Swedish). Every key has both languages
(a test checks it). Strings may hold Markdown; values put into them must be
escaped by the caller with :func:`ui.text.md_escape` when they are data.
"""

from __future__ import annotations

STRINGS: dict[str, tuple[str, str]] = {
    # navigation and sidebar
    "nav.work": ("Arbete", "Work"),
    "nav.analysis": ("Analys", "Analysis"),
    "nav.coding": ("Kodning", "Coding"),
    "nav.project": ("Projekt", "Project"),
    "nav.codebook": ("Kodbok", "Codebook"),
    "nav.matrix": ("Matris", "Matrix"),
    "nav.agreement": ("Samstämmighet", "Agreement"),
    "nav.signin": ("Vem kodar?", "Who is coding?"),
    "sidebar.language": ("Språk", "Language"),
    "sidebar.project": ("Projekt: {name}", "Project: {name}"),
    "sidebar.coder": ("Kodare: **{name}**", "Coder: **{name}**"),
    "sidebar.owner": ("projektägare", "project owner"),
    "sidebar.signout": ("Logga ut", "Sign out"),
    "sidebar.switch_coder": ("Byt kodare", "Switch coder"),
    # who is coding
    "who.title": ("Vem kodar?", "Who is coding?"),
    "who.intro": ("Välj ditt namn en gång; appen kommer ihåg det på den här datorn. Alla kodningar sparas "
                  "med ditt namn.",
                  "Pick your name once; the app remembers it on this computer. Every coding is saved with "
                  "your name."),
    "who.existing": ("Kodare i projektet", "Coders in the project"),
    "who.pick_placeholder": ("Välj ditt namn", "Choose your name"),
    "who.new": ("… eller ett nytt namn", "… or a new name"),
    "who.submit": ("Fortsätt", "Continue"),
    "who.none": ("Välj ett namn eller skriv ett nytt.", "Choose a name or type a new one."),
    "signin.title": ("Logga in", "Sign in"),
    "signin.name": ("Kodare", "Coder"),
    "signin.password": ("Lösenord", "Password"),
    "signin.submit": ("Logga in", "Sign in"),
    "signin.failed": ("Fel namn eller lösenord.", "Wrong name or password."),
    "signin.no_passwords": (
        "Ingen kodare har ett lösenord än. Projektägaren lägger till kodare med lösenord på sidan Projekt "
        "(öppna appen på servern själv, via localhost).",
        "No coder has a password yet. The project owner adds coders with passwords on the Project page "
        "(open the app on the server itself, through localhost)."),
    # coding page
    "coding.title": ("Kodning", "Coding"),
    "coding.no_transcripts": ("Projektet har inga transkript än. Ladda upp dem på sidan Projekt.",
                              "The project has no transcripts yet. Upload them on the Project page."),
    "coding.filter": ("Filter", "Filter"),
    "coding.no_transcript_matches": ("Inget transkript matchar filtret.", "No transcript matches the filter."),
    "coding.transcript": ("Transkript (mina kodade segment)", "Transcript (my coded segments)"),
    "coding.done": ("Jag är klar med transkriptet", "I have finished this transcript"),
    "coding.done_help": ("Markera när du har kodat klart. Samstämmighet räknas bara på transkript som båda "
                         "kodarna har markerat som klara.",
                         "Mark when you have finished coding. Agreement counts only transcripts that both "
                         "coders have marked done."),
    "coding.blind_on": ("Blind kodning: andras koder visas när ni båda har markerat transkriptet som klart.",
                        "Blind coding: others' codes show once you both have marked the transcript done."),
    "coding.blind_wait": ("Blind kodning: ingen annan kodare är klar med transkriptet än.",
                          "Blind coding: no other coder has finished this transcript yet."),
    "coding.blind_open": ("Blind kodning: du ser koderna från {names}.",
                          "Blind coding: you see the codes of {names}."),
    "coding.progress": ("{n} av {total} segment kodade av mig", "{n} of {total} segments coded by me"),
    "coding.search": ("Sök i transkriptet", "Search the transcript"),
    "coding.search_placeholder": ("t.ex. forankring", "e.g. forankring"),
    "coding.only_hits": ("Bara träffar", "Only matches"),
    "coding.next_hit": ("Nästa träff ({n})", "Next match ({n})"),
    "coding.prev": ("Föregående", "Previous"),
    "coding.next": ("Nästa", "Next"),
    "coding.extend_up": ("Utöka", "Extend"),
    "coding.extend_down": ("Utöka", "Extend"),
    "coding.next_uncoded": ("Nästa okodade", "Next uncoded"),
    "coding.undo": ("Ångra", "Undo"),
    "coding.pick_help": ("Markera segmentet (med ”Utöka markering” påslaget: markera fram hit)",
                         "Select this segment (with “Extend selection” on: select up to here)"),
    "coding.codes_of": ("Mina koder på segment {n}", "My codes on segment {n}"),
    "coding.add_code": ("+ senaste kod", "+ recent code"),
    "coding.no_segments": ("Inga segment att visa.", "No segments to show."),
    "coding.nothing_selected": ("Markera ett segment: klicka på dess nummer eller tryck J.",
                                "Select a segment: click its number or press J."),
    "coding.selected_one": ("Markerat: segment **{n}**", "Selected: segment **{n}**"),
    "coding.selected_many": ("Markerat: segment **{a}–{b}** ({n} st)", "Selected: segments **{a}–{b}** ({n})"),
    "coding.find_code": ("Hitta kod", "Find a code"),
    "coding.find_placeholder": ("skriv del av etikett eller id …", "type part of a label or id …"),
    "coding.find_help": ("Söker i svenska och engelska etiketter och id, utan hänsyn till å/ä/ö. Enter "
                         "sätter den översta träffen på markeringen.",
                         "Searches Swedish and English labels and ids, ignoring accents. Enter applies the "
                         "top match to the selection."),
    "coding.no_match": ("Ingen kod matchar ”{q}”.", "No code matches “{q}”."),
    "coding.recent": ("Senast använda (tangent 1–9)", "Recently used (keys 1–9)"),
    "coding.on_selection": ("Mina koder på markeringen (klicka för att ta bort)",
                            "My codes on the selection (click to remove)"),
    "coding.remove_help": ("Ta bort koden från de markerade segmenten", "Remove the code from the selected segments"),
    "coding.memo": ("Memo till segment {n}", "Memo on segment {n}"),
    "coding.memo_placeholder": ("Sparas när du lämnar fältet (eller Ctrl+Enter)",
                                "Saved when you leave the field (or Ctrl+Enter)"),
    "coding.memo_stale": ("Memot hade ändrats någon annanstans (ångra eller en annan flik); det sparade memot "
                          "visas nu.",
                          "The memo had changed elsewhere (an undo or another tab); the saved memo is shown now."),
    "coding.memo_saved": ("Memot sparat", "Memo saved"),
    "coding.extend_mode": ("Utöka markering vid klick", "Extend selection on click"),
    "coding.extend_help": ("Ett klick på ett segmentnummer markerar alla segment fram till det.",
                           "Clicking a segment number selects every segment up to it."),
    "coding.advance": ("Gå till nästa segment efter kodning", "Move to the next segment after coding"),
    "coding.keys_title": ("Tangentbord", "Keyboard"),
    "coding.keys": (
        "- **J / K**: nästa / föregående segment; **Shift+J / Shift+K**: utöka markeringen\n"
        "- **/**: hitta kod; skriv, **Enter** sätter översta träffen; **Esc** lämnar fältet\n"
        "- **1–9**: sätt en senast använd kod\n"
        "- **N**: nästa okodade segment; **U**: ångra",
        "- **J / K**: next / previous segment; **Shift+J / Shift+K**: extend the selection\n"
        "- **/**: find a code; type, **Enter** applies the top match; **Esc** leaves the field\n"
        "- **1–9**: apply a recently used code\n"
        "- **N**: next uncoded segment; **U**: undo"),
    "coding.select_first": ("Markera först ett eller flera segment.", "Select one or more segments first."),
    "coding.applied": ("**{code}** satt på {n} segment", "**{code}** applied to {n} segment(s)"),
    "coding.already": ("**{code}** fanns redan på markeringen", "**{code}** was already on the selection"),
    "coding.removed": ("**{code}** borttagen från {n} segment", "**{code}** removed from {n} segment(s)"),
    "coding.undone": ("Ångrat: {what}", "Undone: {what}"),
    "coding.undo_apply": ("kod {code} på {n} segment", "code {code} on {n} segment(s)"),
    "coding.undo_remove": ("borttagning av {code} från {n} segment", "removal of {code} from {n} segment(s)"),
    "coding.undo_memo": ("memoändringen", "the memo change"),
    "coding.nothing_to_undo": ("Inget att ångra.", "Nothing to undo."),
    "coding.all_coded": ("Alla segment har minst en kod.", "Every segment has at least one code."),
    # code fields
    "code.label_sv": ("Etikett (svenska)", "Label (Swedish)"),
    "code.label_en": ("Etikett (engelska)", "Label (English)"),
    "code.definition": ("Definition", "Definition"),
    "code.include": ("Inkludera när", "Include when"),
    "code.exclude": ("Exkludera när", "Exclude when"),
    "code.example": ("Exempel", "Example"),
    # project page
    "project.title": ("Projekt", "Project"),
    "project.current": ("Projektfil: {path}", "Project file: {path}"),
    "project.switch": ("Öppna eller skapa ett annat projekt", "Open or create another project"),
    "project.open": ("Öppna", "Open"),
    "project.new": ("Nytt", "New"),
    "project.demo": ("Demo", "Demo"),
    "project.found": ("Projekt i arbetsmappen", "Projects in the working folder"),
    "project.path": ("Sökväg till projektfilen (.qcode)", "Path of the project file (.qcode)"),
    "project.open_button": ("Öppna projektet", "Open the project"),
    "project.owner_name": ("Ditt namn (du blir projektägare)", "Your name (you become the project owner)"),
    "project.create_button": ("Skapa projektet", "Create the project"),
    "project.demo_text": ("Demoprojektet har fiktiva intervjuer om Supported Employment/IPS, kodboken och två "
                          "kodares kodningar.",
                          "The demo project holds fictional Supported Employment/IPS interviews, the codebook "
                          "and two coders' codings."),
    "project.demo_button": ("Öppna demoprojektet", "Open the demo project"),
    "project.building_demo": ("Bygger demoprojektet …", "Building the demo project …"),
    "project.demo_failed": ("Demoprojektet kunde inte byggas: {error}. Skapa eller öppna ett projekt nedan.",
                            "The demo project could not be built: {error}. Create or open a project below."),
    "project.missing": ("Projektfilen {path} finns inte. Skapa den under ”Nytt” eller öppna en annan.",
                        "The project file {path} does not exist. Create it under “New” or open another."),
    "project.no_path": ("Ange en sökväg.", "Give a path."),
    "project.import": ("Ladda upp transkript", "Upload transcripts"),
    "project.files": ("Transkriptfiler ({types}; högst {mb} MB per fil)",
                      "Transcript files ({types}; at most {mb} MB per file)"),
    "project.unit": ("Segment", "Segments"),
    "project.unit_sentence": ("meningar", "sentences"),
    "project.unit_paragraph": ("stycken", "paragraphs"),
    "project.unit_turn": ("talarturer", "speaker turns"),
    "project.language": ("Språk", "Language"),
    "project.clean": ("Städa rapporttext", "Clean report text"),
    "project.clean_help": ("Tar bort sidhuvuden/sidfötter och fogar ihop avstavade ord (för PDF- och OCR-text).",
                           "Removes running headers/footers and rejoins hyphenated words (for PDF and OCR text)."),
    "project.import_button": ("Importera", "Import"),
    "project.reading": ("Läser filerna …", "Reading the files …"),
    "project.reading_file": ("Läser {i} av {n}: {name}", "Reading {i} of {n}: {name}"),
    "project.done": ("Klart", "Done"),
    "project.too_big": ("**{name}** är {size} MB; gränsen är {mb} MB per fil. Dela upp filen eller spara den "
                        "som ren text (.txt).",
                        "**{name}** is {size} MB; the limit is {mb} MB per file. Split the file or save it as "
                        "plain text (.txt)."),
    "project.import_failed": ("Inget importerades:", "Nothing was imported:"),
    "project.imported": ("{n} transkript importerade ({segments} segment): {names}",
                         "{n} transcript(s) imported ({segments} segments): {names}"),
    "project.skipped": ("{name} hoppades över: {reason}", "{name} skipped: {reason}"),
    "project.attributes": ("Attribut", "Attributes"),
    "project.attributes_help": ("Dubbelklicka på en cell för att ändra; ändringen sparas direkt. En tom cell "
                                "tar bort attributet.",
                                "Double-click a cell to change it; the change is saved at once. An empty cell "
                                "removes the attribute."),
    "project.new_attribute": ("Nytt attribut", "New attribute"),
    "project.add_attribute": ("Lägg till kolumn", "Add column"),
    "project.no_transcripts": ("Inga transkript än.", "No transcripts yet."),
    "project.transcript": ("Transkript", "Transcript"),
    "project.segments": ("Segment", "Segments"),
    "project.progress": ("Hur långt kodarna har kommit", "How far the coders have come"),
    "project.progress_help": ("Kodade segment / alla segment; ✓ = markerat som klart.",
                              "Coded segments / all segments; ✓ = marked as done."),
    "project.no_progress": ("Inga transkript eller kodare än.", "No transcripts or coders yet."),
    "project.coders": ("Kodare och inställningar", "Coders and settings"),
    "project.coder": ("Kodare", "Coder"),
    "project.is_owner": ("Ägare", "Owner"),
    "project.has_password": ("Lösenord", "Password"),
    "project.owner_only": ("Bara projektägaren kan lägga till kodare och ändra inställningar.",
                           "Only the project owner can add coders and change settings."),
    "project.blind": ("Blind kodning", "Blind coding"),
    "project.blind_help": ("På: en kodare ser inte andras koder på ett transkript förrän båda har markerat det "
                           "som klart.",
                           "On: a coder does not see others' codes on a transcript until both have marked it "
                           "done."),
    "project.add_coder": ("Lägg till kodare", "Add a coder"),
    "project.coder_name": ("Namn", "Name"),
    "project.password": ("Lösenord", "Password"),
    "project.password_help": ("Behövs för att logga in när appen körs på en server. Sparas bara som ett saltat "
                              "scrypt-hashvärde.",
                              "Needed to sign in when the app runs on a server. Stored only as a salted scrypt "
                              "hash."),
    "project.make_owner": ("Projektägare", "Project owner"),
    "project.add_coder_button": ("Lägg till", "Add"),
    "project.password_needed": ("Ange ett lösenord: utan det kan kodaren inte logga in.",
                                "Give a password: without one the coder cannot sign in."),
    "project.coder_added": ("Kodaren {name} är tillagd.", "Coder {name} added."),
    "project.set_password": ("Byt lösenord", "Change password"),
    "project.new_password": ("Nytt lösenord", "New password"),
    "project.repeat_password": ("Upprepa lösenordet", "Repeat the password"),
    "project.set_password_button": ("Spara lösenordet", "Save the password"),
    "project.password_mismatch": ("Lösenorden är tomma eller olika.", "The passwords are empty or differ."),
    "project.password_set": ("Lösenordet för {name} är sparat.", "The password of {name} is saved."),
    "project.audit": ("Ändringslogg", "Audit log"),
    "project.audit_empty": ("Inga ändringar än.", "No changes yet."),
    "audit.at": ("Tid (UTC)", "Time (UTC)"),
    "audit.actor": ("Vem", "Who"),
    "audit.action": ("Vad", "What"),
    "audit.target": ("Objekt", "Target"),
    "audit.detail": ("Detaljer", "Details"),
    # codebook page
    "codebook.title": ("Kodbok", "Codebook"),
    "codebook.search": ("Sök kod", "Search codes"),
    "codebook.empty": ("Kodboken är tom. Lägg till koder eller importera en kodbok.",
                       "The codebook is empty. Add codes or import a codebook."),
    "codebook.code": ("Kod", "Code"),
    "codebook.active": ("Aktiv", "Active"),
    "codebook.active_help": ("En inaktiv kod försvinner ur kodväljaren; dess kodningar finns kvar.",
                             "An inactive code leaves the code picker; its codings stay."),
    "codebook.colour": ("Färg", "Colour"),
    "codebook.no_colour": ("Ingen färg", "No colour"),
    "codebook.counts": ("{n} koder, varav {inactive} inaktiva", "{n} codes, {inactive} of them inactive"),
    "codebook.owner_only": ("Bara projektägaren kan ändra kodboken.", "Only the project owner can change the codebook."),
    "codebook.edit": ("Ändra", "Edit"),
    "codebook.add": ("Ny kod", "New code"),
    "codebook.merge": ("Slå ihop", "Merge"),
    "codebook.import_export": ("Import/export", "Import/export"),
    "codebook.pick": ("Kod att ändra", "Code to edit"),
    "codebook.parent": ("Ligger under", "Parent"),
    "codebook.top_level": ("(översta nivån)", "(top level)"),
    "codebook.save": ("Spara", "Save"),
    "codebook.saved": ("Koden {id} är sparad.", "Code {id} saved."),
    "codebook.new_id": ("Id", "Id"),
    "codebook.id_help": ("Bokstäver, siffror, _ . -; ändras inte senare.",
                         "Letters, digits, _ . -; not changed later."),
    "codebook.add_button": ("Lägg till koden", "Add the code"),
    "codebook.added": ("Koden {id} är tillagd.", "Code {id} added."),
    "codebook.merge_help": ("Alla kodningar (och underkoder) flyttas från den första koden till den andra; den "
                            "första koden tas bort.",
                            "Every coding (and child code) moves from the first code to the second; the first "
                            "code is removed."),
    "codebook.merge_source": ("Slå ihop koden …", "Merge the code …"),
    "codebook.merge_target": ("… in i koden", "… into the code"),
    "codebook.merge_sure": ("Ja, slå ihop (kan inte ångras här)", "Yes, merge (cannot be undone here)"),
    "codebook.merge_button": ("Slå ihop", "Merge"),
    "codebook.merge_pick": ("Välj båda koderna.", "Choose both codes."),
    "codebook.merge_confirm": ("Bekräfta sammanslagningen med kryssrutan.", "Confirm the merge with the checkbox."),
    "codebook.merged": ("{source} är ihopslagen med {target} ({n} kodningar flyttade).",
                        "{source} merged into {target} ({n} codings moved)."),
    "codebook.import": ("Importera kodbok", "Import a codebook"),
    "codebook.import_file": ("YAML- eller CSV-fil", "YAML or CSV file"),
    "codebook.replace": ("Ersätt (ta bort koder som saknas i filen)", "Replace (remove codes missing from the file)"),
    "codebook.replace_help": ("Koder med kodningar tas aldrig bort, de blir inaktiva.",
                              "Codes with codings are never removed; they are deactivated."),
    "codebook.import_button": ("Importera kodboken", "Import the codebook"),
    "codebook.not_utf8": ("Filen är inte UTF-8-text; spara den som UTF-8.",
                          "The file is not UTF-8 text; save it as UTF-8."),
    "codebook.imported": ("Kodboken importerad: {added} nya, {updated} uppdaterade, {removed} borttagna, "
                          "{deactivated} inaktiverade.",
                          "Codebook imported: {added} added, {updated} updated, {removed} removed, "
                          "{deactivated} deactivated."),
    "codebook.export": ("Exportera kodboken", "Export the codebook"),
}


def t(key: str, lang: str | None = None, **values) -> str:
    """The string ``key`` in ``lang`` (default: this tab's language), with ``values`` filled in."""
    if lang is None:
        try:
            import streamlit as st

            lang = st.session_state.get("qc_lang", "sv")
        except Exception:  # outside a Streamlit run
            lang = "sv"
    sv, en = STRINGS[key]
    text = en if lang == "en" else sv
    return text.format(**values) if values else text
