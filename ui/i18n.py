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
    "app.db_error": ("Projektfilen kunde inte skrivas just nu ({error}). Ingenting sparades; försök igen om "
                     "en stund.", "The project file could not be written just now ({error}). Nothing was saved; "
                     "try again in a moment."),
    "nav.analysis": ("Analys", "Analysis"),
    "nav.coding": ("Kodning", "Coding"),
    "nav.project": ("Projekt", "Project"),
    "nav.codebook": ("Kodbok", "Codebook"),
    "nav.matrix": ("Matris", "Matrix"),
    "nav.search": ("Sök", "Search"),
    "search.title": ("Sök i hela projektet", "Search the whole project"),
    "search.help": ("Alla ord måste finnas i segmentet; stora/små bokstäver och å/ä/ö spelar ingen roll "
                    "(”forankring” hittar ”förankring”). Citattecken söker en fras, ord* söker ord som börjar så.",
                    "Every word must occur in the segment; case and å/ä/ö do not matter (“forankring” finds "
                    "“förankring”). Quotes search a phrase, word* finds words that begin so."),
    "search.query": ("Sök", "Search"),
    "search.none": ("Inga segment innehåller ”{q}”.", "No segment contains “{q}”."),
    "search.found": ("**{n}** segment i {transcripts} transkript.", "**{n}** segments in {transcripts} "
                     "transcripts."),
    "search.code": ("Kod för träffarna", "Code for the hits"),
    "search.code_placeholder": ("Välj en kod", "Choose a code"),
    "search.code_all": ("Koda alla {n} träffar", "Code all {n} hits"),
    "search.pick_code": ("Välj först en kod.", "Choose a code first."),
    "search.coded": ("{code} sattes på {n} segment (ett steg att ångra på kodningssidan).",
                     "{code} was applied to {n} segments (one step to undo on the coding page)."),
    "search.open": ("Öppna segmentet på kodningssidan", "Open the segment on the coding page"),
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
    "who.password": ("Lösenord (om namnet har ett)", "Password (if the name has one)"),
    "who.password_help": ("Kodare med lösenord, t.ex. projektägaren, måste ange det även på den här datorn.",
                          "Coders with a password, such as the project owner, must give it on this machine too."),
    "who.password_needed": ("Det namnet har ett lösenord; ange rätt lösenord för att fortsätta som det.",
                            "That name has a password; give the right password to continue as it."),
    "signin.title": ("Logga in", "Sign in"),
    "signin.name": ("Kodare", "Coder"),
    "signin.password": ("Lösenord", "Password"),
    "signin.submit": ("Logga in", "Sign in"),
    "signin.failed": ("Fel namn eller lösenord.", "Wrong name or password."),
    "signin.locked": ("För många felaktiga försök: inloggningen för det namnet är spärrad en kvart. Fråga "
                      "projektägaren om du har glömt lösenordet.", "Too many wrong attempts: sign-in for that "
                      "name is locked for a quarter of an hour. Ask the project owner if you forgot the password."),
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
    "coding.redo": ("Gör om", "Redo"),
    "coding.undo_help": ("Ångra min senaste ändring (U); säger vilket transkript och segment den gällde",
                         "Undo my latest change (U); says which transcript and segment it changed"),
    "coding.redo_help": ("Gör om det jag senast ångrade (Shift+U)", "Redo what I last undid (Shift+U)"),
    "coding.list_aria": ("Segment i transkriptet", "Segments of the transcript"),
    "coding.remove_chip": ("Ta bort", "Remove"),
    "coding.memo_short": ("Memo", "Memo"),
    "project.exchange": ("Utbyte med andra program", "Exchange with other tools"),
    "project.exchange_help": ("Hela projektet (transkript, kodbok, kodare, kodningar, memon och attribut) som en "
                              "REFI-QDA-fil (.qdpx) för NVivo, ATLAS.ti, MAXQDA eller QualCoder. Kodboken "
                              "ensam (.qdc) finns på sidan Kodbok.",
                              "The whole project (transcripts, codebook, coders, codings, memos and attributes) "
                              "as a REFI-QDA file (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder. The "
                              "codebook alone (.qdc) is on the Codebook page."),
    "project.qdpx_download": ("Ladda ner .qdpx", "Download .qdpx"),
    "project.qdpx_import": ("Importera .qdpx", "Import .qdpx"),
    "project.qdpx_import_help": ("Ett REFI-QDA-projekt från NVivo, ATLAS.ti, MAXQDA, QualCoder eller qcode: kodare, "
                                 "koder, texter, kodningar, memon och attribut läggs till i det här projektet "
                                 "(allt eller inget; en säkerhetskopia tas först).",
                                 "A REFI-QDA project from NVivo, ATLAS.ti, MAXQDA, QualCoder or qcode: coders, codes, "
                                 "texts, codings, memos and attributes are added to this project (all or nothing; "
                                 "a backup is made first)."),
    "project.qdpx_import_button": ("Importera", "Import"),
    "project.qdpx_failed": ("Ingenting importerades.", "Nothing was imported."),
    "project.qdpx_imported": ("{name}: {n} transkript ({segments} segment), {codes} nya koder, {codings} kodningar "
                              "av {coders} kodare, {memos} memon.",
                              "{name}: {n} transcripts ({segments} segments), {codes} new codes, {codings} codings "
                              "by {coders} coders, {memos} memos."),
    "project.qdpx_reused": ("Fanns redan (kodningarna lades till): {names}",
                            "Already here (the codings were added): {names}"),
    "project.qdpx_conv_utf16": ("Positioner i UTF-16 (NVivo) omräknade till tecken i {n} källor.",
                                "UTF-16 positions (NVivo) converted to characters in {n} sources."),
    "project.qdpx_conv_crlf": ("Radslut CRLF gjorda till LF i {n} källor.", "CRLF line ends made LF in {n} sources."),
    "project.qdpx_conv_crlf1": ("CRLF räknat som ett tecken (ATLAS.ti) i {n} källor.",
                                "CRLF counted as one character (ATLAS.ti) in {n} sources."),
    "project.qdpx_conv_bom": ("Byte-order mark (BOM) borttagen i {n} källor.",
                              "Byte-order mark removed in {n} sources."),
    "project.qdpx_conv_controls": ("Styrtecken borttagna i {n} källor.", "Control characters removed in {n} sources."),
    "codebook.import_help": ("YAML eller CSV i qcodes format, eller en REFI-QDA-kodbok (.qdc) från NVivo, "
                             "ATLAS.ti, MAXQDA eller QualCoder.",
                             "YAML or CSV in qcode's format, or a REFI-QDA codebook (.qdc) from NVivo, ATLAS.ti, "
                             "MAXQDA or QualCoder."),
    "codebook.qdc_help": ("Kodboken som REFI-QDA-fil för NVivo, ATLAS.ti, MAXQDA eller QualCoder (etiketter och "
                          "definitioner på sidans språk).",
                          "The codebook as a REFI-QDA file for NVivo, ATLAS.ti, MAXQDA or QualCoder (labels and "
                          "definitions in the page's language)."),
    "project.coders_add_codes": ("Kodare får lägga till nya koder medan de kodar",
                                 "Coders may add new codes while coding"),
    "project.coders_add_codes_help": ("Av: bara projektägaren lägger till koder (på sidan Kodbok eller när hen "
                                      "kodar). På: alla med rollen kodare eller mer kan skapa en kod från "
                                      "kodträdet på sidan Kodning. Allt loggas.",
                                      "Off: only the project owner adds codes (on the Codebook page or while "
                                      "coding). On: everyone with the coder role or above can create a code from "
                                      "the code tree on the Coding page. Everything is logged."),
    "coding.tree": ("Kodträd ({n} koder)", "Code tree ({n} codes)"),
    "coding.tree_help": ("Klicka på en kod för att sätta den på markeringen. Siffrorna: segment jag kodat / "
                         "segment alla kodat med koden.",
                         "Click a code to apply it to the selection. The numbers: segments I coded / segments "
                         "everyone coded with the code."),
    "coding.new_code": ("Ny kod", "New code"),
    "coding.new_code_label": ("Etikett", "Label"),
    "coding.new_code_parent": ("Under", "Under"),
    "coding.new_code_apply": ("Sätt den på markeringen", "Apply it to the selection"),
    "coding.new_code_add": ("Lägg till koden", "Add the code"),
    "coding.new_code_added": ("Ny kod **{code}** i kodboken", "New code **{code}** in the codebook"),
    "coding.new_code_label_missing": ("Skriv en etikett för den nya koden.", "Write a label for the new code."),
    "coding.redone": ("Gjort om: {what}", "Redone: {what}"),
    "coding.nothing_to_redo": ("Inget att göra om.", "Nothing to redo."),
    "coding.no_segments": ("Inga segment att visa.", "No segments to show."),
    "coding.nothing_selected": ("Markera ett segment: klicka på det eller tryck J (Shift+klick: flera).",
                                "Select a segment: click it or press J (Shift+click: several)."),
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
    "coding.extend_help": ("Ett klick på ett segment markerar alla segment fram till det (som Shift+klick).",
                           "Clicking a segment selects every segment up to it (like Shift+click)."),
    "coding.advance": ("Gå till nästa segment efter kodning", "Move to the next segment after coding"),
    "coding.keys_title": ("Tangentbord", "Keyboard"),
    "coding.keys": (
        "- **J / K**: nästa / föregående segment; **Shift+J / Shift+K**: utöka markeringen\n"
        "- **/**: hitta kod; skriv, **Enter** sätter översta träffen; **Esc** lämnar fältet\n"
        "- **1–9**: sätt en senast använd kod\n"
        "- **N**: nästa okodade segment; **U**: ångra; **Shift+U**: gör om\n"
        "- **A / X**: godta / avböj det markerade segmentets bästa förslag\n"
        "- klick: markera ett segment; **Shift+klick**: markera fram hit; **✕** på en kod: ta bort den",
        "- **J / K**: next / previous segment; **Shift+J / Shift+K**: extend the selection\n"
        "- **/**: find a code; type, **Enter** applies the top match; **Esc** leaves the field\n"
        "- **1–9**: apply a recently used code\n"
        "- **N**: next uncoded segment; **U**: undo; **Shift+U**: redo\n"
        "- **A / X**: accept / reject the selected segment's best suggestion\n"
        "- click: select a segment; **Shift+click**: select up to here; **✕** on a code: remove it"),
    "coding.select_first": ("Markera först ett eller flera segment.", "Select one or more segments first."),
    "coding.applied": ("**{code}** satt på {n} segment", "**{code}** applied to {n} segment(s)"),
    "coding.already": ("**{code}** fanns redan på markeringen", "**{code}** was already on the selection"),
    "coding.removed": ("**{code}** borttagen från {n} segment", "**{code}** removed from {n} segment(s)"),
    "coding.ambiguous": ("Flera koder matchar ”{q}” lika bra: ingen kod lades till. Klicka på den du menar "
                         "eller skriv mer.", "Several codes match “{q}” equally well: no code was applied. Click "
                         "the one you mean or type more."),
    "coding.ambiguous_hint": ("Flera lika bra träffar: välj med ett klick.", "Several equally good matches: "
                              "pick one with a click."),
    "coding.undone": ("Ångrat: {what}", "Undone: {what}"),
    "coding.undo_apply": ("kod {code} på {n} segment ({where})", "code {code} on {n} segment(s) ({where})"),
    "coding.undo_remove": ("borttagning av {code} från {n} segment ({where})",
                           "removal of {code} from {n} segment(s) ({where})"),
    "coding.undo_memo": ("memoändringen ({where})", "the memo change ({where})"),
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
    "project.current_pg": ("Projekt på PostgreSQL: {path}", "Project on PostgreSQL: {path}"),
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
    "project.role": ("Roll", "Role"),
    "project.role_help": ("Ägare: allt. Ledare: kodar och beslutar konsensus. Kodare: kodar. Läsare: läser bara.",
                          "Owner: everything. Lead: codes and settles consensus. Coder: codes. Viewer: reads only."),
    "project.set_role": ("Ändra roll", "Change role"),
    "project.role_set": ("{name} är nu {role}.", "{name} is now {role}."),
    "project.no_owner": ("Projektet har ingen ägare än, så alla får göra allt. Utse en ägare innan ni kodar som "
                         "ett team.", "The project has no owner yet, so everyone may do everything. Name an owner "
                         "before you code as a team."),
    "project.become_owner": ("Gör {name} till ägare", "Make {name} the owner"),
    "role.owner": ("ägare", "owner"),
    "role.lead": ("ledare", "lead"),
    "role.coder": ("kodare", "coder"),
    "role.viewer": ("läsare", "viewer"),
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
    "audit.everyone": ("Alla", "Everyone"),
    "audit.all_actions": ("Alla händelser", "All actions"),
    "audit.period": ("Period", "Period"),
    "audit.shown": ("Visar {shown} av {n} poster (nyast först).", "Showing {shown} of {n} entries (newest first)."),
    "audit.export": ("Exportera loggen (CSV)", "Export the log (CSV)"),
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
    "codebook.owner_only": ("Bara projektägaren kan ändra kodboken.",
                            "Only the project owner can change the codebook."),
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
    # matrix page
    "matrix.title": ("Matris", "Matrix"),
    "matrix.no_transcripts": ("Projektet har inga transkript än.", "The project has no transcripts yet."),
    "matrix.rows": ("Rader", "Rows"),
    "matrix.rows_transcript": ("Transkript", "Transcript"),
    "matrix.rows_speaker": ("Talare", "Speaker"),
    "matrix.measure": ("Mått", "Measure"),
    "matrix.measure_count": ("Antal kodade segment", "Coded segments"),
    "matrix.measure_presence": ("Förekomst (0/1)", "Presence (0/1)"),
    "matrix.measure_transcripts": ("Antal intervjuer", "Interviews"),
    "matrix.measure_share": ("Andel av intervjuerna", "Share of the interviews"),
    "matrix.measure_help": (
        "Antal: segment med koden (ett segment räknas en gång per kolumn, vem som än kodade det). "
        "Förekomst: 1 om koden finns minst en gång i raden. Intervjuer: i hur många av radens transkript "
        "koden finns. Andel: intervjuer med koden delat med radens intervjuer.",
        "Count: segments with the code (a segment counts once per column, whoever coded it). Presence: 1 if "
        "the code occurs at least once in the row. Interviews: in how many of the row's transcripts the code "
        "occurs. Share: interviews with the code divided by the row's interviews."),
    "matrix.coders": ("Kodning", "Coding"),
    "matrix.all_coders": ("Alla kodare (sammanslaget)", "All coders (combined)"),
    "matrix.consensus": ("Konsensus", "Consensus"),
    "matrix.level": ("Nivå", "Level"),
    "matrix.level_code": ("Koder", "Codes"),
    "matrix.level_category": ("Kategorier", "Categories"),
    "matrix.filter": ("Filter", "Filter"),
    "matrix.under": ("Bara koder under kategorierna", "Only codes under the categories"),
    "matrix.margins": ("Summor", "Totals"),
    "matrix.margins_help": ("Lägg till en rad och en kolumn med summor (i tabellen och i exporterna).",
                            "Add a row and a column of totals (in the table and in the exports)."),
    "matrix.summary": ("{rows} rader × {cols} kolumner · {n} transkript", "{rows} rows × {cols} columns · "
                       "{n} transcripts"),
    "matrix.empty": ("Inget att visa: inga transkript eller koder matchar valen.",
                     "Nothing to show: no transcripts or codes match the choices."),
    "matrix.tab_table": ("Tabell", "Table"),
    "matrix.tab_heatmap": ("Värmekarta", "Heat map"),
    "matrix.table_help": ("Klicka på en cell för att se segmenten bakom den. Klicka på en kolumnrubrik för att "
                          "sortera.",
                          "Click a cell to see the segments behind it. Click a column header to sort."),
    "matrix.heatmap_help": ("Klicka på en ruta för att se segmenten bakom den.",
                            "Click a square to see the segments behind it."),
    "matrix.download": ("Ladda ner matrisen", "Download the matrix"),
    "matrix.download_help": ("XLSX: ett blad per mått (med summor) och ett blad med de kodade segmenten.",
                             "XLSX: one sheet per measure (with totals) and a sheet of the coded segments."),
    "matrix.cell": ("Segmenten bakom en cell", "The segments behind a cell"),
    "matrix.cell_row": ("Rad", "Row"),
    "matrix.cell_column": ("Kolumn", "Column"),
    "matrix.cell_value": ("Värde i cellen: {value} · {n} kodade segment", "Value in the cell: {value} · "
                          "{n} coded segments"),
    "matrix.cell_none": ("Inga kodade segment i den här cellen.", "No coded segments in this cell."),
    "matrix.cell_more": ("Visar de första {shown} av {n} segmenten.", "Showing the first {shown} of {n} segments."),
    "matrix.coded_by": ("kodat av {names}", "coded by {names}"),
    "matrix.report": ("Rapporttabell", "Report table"),
    "matrix.report_help": ("En rad per {rows}, en kolumn per vald kategori; cellerna listar koderna under "
                           "kategorin som förekommer i radens intervjuer.",
                           "One row per {rows}, one column per chosen category; the cells list the codes under "
                           "the category that occur in the row's interviews."),
    "matrix.report_columns": ("Kategorier som kolumner", "Categories as columns"),
    "matrix.report_pick": ("Välj minst en kategori.", "Choose at least one category."),
    "matrix.report_download": ("Ladda ner rapporttabellen", "Download the report table"),
    "agreement.blind_wait": ("Blind kodning är på och du har inte markerat alla transkript som klara. Samstämmighet "
                             "och oenigheter visar andra kodares koder, så sidan öppnas när du har kodat klart.",
                             "Blind coding is on and you have not marked every transcript done. Agreement and "
                             "disagreements show other coders' codes, so this page opens once you have finished."),
    "matrix.blind_own_only": ("Blind kodning är på: tills du har markerat alla transkript som klara visar matrisen "
                              "bara dina egna koder (och konsensus).",
                              "Blind coding is on: until you have marked every transcript done, the matrix shows "
                              "only your own codes (and the consensus)."),
    "matrix.blind_note": ("Blind kodning är på och du har inte markerat alla transkript som klara: den här sidan "
                          "visar andra kodares koder. Titta här först när du har kodat klart.",
                          "Blind coding is on and you have not marked every transcript done: this page shows "
                          "other coders' codes. Look here once you have finished coding."),
    # the quotes page
    "nav.quotes": ("Citat", "Quotes"),
    "quotes.title": ("Citat", "Quotes"),
    "quotes.help": ("Alla kodade avsnitt för en eller flera koder, grupperade efter kommun (eller annat attribut), "
                    "med talare, transkript, sammanhang, kodare och memon – klart för rapporten som Word, Markdown "
                    "eller CSV.",
                    "Every coded passage for one or more codes, grouped by municipality (or another attribute), "
                    "with speaker, transcript, context, coders and memos – ready for the report as Word, Markdown "
                    "or CSV."),
    "quotes.no_transcripts": ("Projektet har inga transkript än.", "The project has no transcripts yet."),
    "quotes.blind_own_only": ("Blind kodning är på: tills du har markerat alla transkript som klara visar sidan "
                              "bara dina egna kodningar (och konsensus).",
                              "Blind coding is on: until you have marked every transcript done, this page shows "
                              "only your own codings (and the consensus)."),
    "quotes.codes": ("Koder", "Codes"),
    "quotes.codes_placeholder": ("Välj en eller flera koder", "Choose one or more codes"),
    "quotes.category": ("kategori", "category"),
    "quotes.by": ("Gruppera efter", "Group by"),
    "quotes.by_transcript": ("Transkript", "Transcript"),
    "quotes.by_speaker": ("Talare", "Speaker"),
    "quotes.coders": ("Kodning", "Coding"),
    "quotes.all_coders": ("Alla kodare (sammanslaget)", "All coders (combined)"),
    "quotes.consensus": ("Konsensus", "Consensus"),
    "quotes.context": ("Sammanhang", "Context"),
    "quotes.context_help": ("Antal segment före och efter varje citat.",
                            "Segments shown before and after each quote."),
    "quotes.children": ("Med underkoder", "With subcodes"),
    "quotes.children_help": ("En vald kategori tar med kodningarna av alla koder under den.",
                             "A chosen category includes the codings of every code below it."),
    "quotes.pick": ("Välj minst en kod för att se dess citat.", "Choose at least one code to see its quotes."),
    "quotes.summary": ("{n} citat för {codes} kod(er) i {groups} grupper.",
                       "{n} quotes for {codes} code(s) in {groups} groups."),
    "quotes.n_quotes": ("{n} citat", "{n} quotes"),
    "quotes.none": ("Inga kodade avsnitt.", "No coded passages."),
    "quotes.more": ("Visar {shown} av {n} citat; nedladdningarna innehåller alla.",
                    "Showing {shown} of {n} quotes; the downloads hold them all."),
    "quotes.coded_by": ("kodat av {names}", "coded by {names}"),
    "quotes.memo": ("Memo", "Memo"),
    # agreement page
    "agreement.title": ("Samstämmighet", "Agreement"),
    "agreement.coders": ("Kodare", "Coders"),
    "agreement.need_two": ("Samstämmighet behöver minst två kodare. Lägg till kodare på sidan Projekt.",
                           "Agreement needs at least two coders. Add coders on the Project page."),
    "agreement.pick_two": ("Välj minst två kodare.", "Choose at least two coders."),
    "agreement.done_note": ("Bara transkript som kodaren har markerat som klara räknas (på ett ej klart "
                            "transkript räknas kodarens segment som saknade, inte som okodade). Klara av "
                            "{total} transkript: {per_coder}; klara av alla valda kodare: {all}.",
                            "Only transcripts the coder has marked done count (on an unfinished transcript the "
                            "coder's segments are missing, not uncoded). Done of {total} transcripts: "
                            "{per_coder}; done by every chosen coder: {all}."),
    "agreement.scope": ("Omfattning", "Scope"),
    "agreement.scope_all": ("Hela projektet", "The whole project"),
    "agreement.scope_transcript": ("Per transkript", "Per transcript"),
    "agreement.scope_attribute": ("Per {name}", "Per {name}"),
    "agreement.unit": ("Enhet", "Unit"),
    "agreement.unit_segment": ("Segment", "Segments"),
    "agreement.unit_case": ("Fall × kod (förekomst per {name})", "Case × code (presence per {name})"),
    "agreement.unit_case_plain": ("Fall × kod (förekomst)", "Case × code (presence)"),
    "agreement.unit_help": ("Segment: har kodarna satt koden på samma segment? Fall × kod: har båda hittat "
                            "koden någonstans i fallets intervjuer (som i rapporttabellerna)?",
                            "Segments: did the coders apply the code to the same segments? Case × code: did both "
                            "find the code somewhere in the case's interviews (as in the report tables)?"),
    "agreement.level": ("Nivå", "Level"),
    "agreement.statistics": ("Mått", "Statistics"),
    "agreement.stat_alpha": ("α Krippendorff", "α Krippendorff"),
    "agreement.stat_kappa": ("κ Cohen", "κ Cohen"),
    "agreement.stat_fleiss": ("κ Fleiss", "κ Fleiss"),
    "agreement.stat_percent": ("% överens", "% agreement"),
    "agreement.stat_positive": ("positiv överensstämmelse", "positive agreement"),
    "agreement.stat_ac1": ("AC1 Gwet", "AC1 Gwet"),
    "agreement.stat_bp": ("Brennan–Prediger", "Brennan–Prediger"),
    "agreement.kappa_two": ("Cohens kappa kräver exakt två kodare.", "Cohen's kappa needs exactly two coders."),
    "agreement.pick_stat": ("Välj minst ett mått.", "Choose at least one statistic."),
    "agreement.convention": (
        "**Färger** enligt Krippendorffs (2004) konvention: "
        ":green-background[≥ 0,800 tillförlitlig] · "
        ":orange-background[0,667–0,799 preliminär: dra bara försiktiga slutsatser] · "
        ":red-background[< 0,667 otillförlitlig] · :gray-background[n/a: ej definierad]. "
        "Samma gränser används för alla slumpkorrigerade mått; % överens färgas inte (den är inte "
        "korrigerad för slump). **n** = antal enheter som minst två kodare har bedömt.",
        "**Colours** follow Krippendorff's (2004) convention: "
        ":green-background[≥ 0.800 reliable] · "
        ":orange-background[0.667–0.799 tentative: draw only cautious conclusions] · "
        ":red-background[< 0.667 unreliable] · :gray-background[n/a: not defined]. "
        "The same thresholds are used for every chance-corrected statistic; % agreement is not coloured (it "
        "is not corrected for chance). **n** = units judged by at least two coders."),
    "agreement.overall": ("Sammanfattning", "Overall"),
    "agreement.per_code": ("Per kod", "Per code"),
    "agreement.col_scope": ("Omfattning", "Scope"),
    "agreement.col_code": ("Kod", "Code"),
    "agreement.col_units": ("n", "n"),
    "agreement.col_units_help": ("Enheter som minst två kodare har bedömt (för poolat: enheter × koder).",
                                 "Units judged by at least two coders (pooled: units × codes)."),
    "agreement.col_coded": ("kodade", "coded"),
    "agreement.col_coded_help": ("Av dessa enheter: hur många som någon kodare gav koden.",
                                 "Of these units: how many some coder gave the code."),
    "agreement.overall_help": ("Poolat: (enhet, kod)-paren som enheter i ett mått. Medel: medelvärdet av "
                               "måtten per kod. Båda bara över koder som någon har använt.",
                               "Pooled: the (unit, code) pairs as the units of one figure. Mean: the mean of the "
                               "per-code figures. Both only over codes someone used."),
    "agreement.only_used": ("Bara koder som någon kodare har använt", "Only codes some coder used"),
    "agreement.no_units": ("Inga jämförbara enheter: inget transkript är markerat som klart av minst två av "
                           "kodarna.",
                           "No comparable units: no transcript is marked done by at least two of the coders."),
    "agreement.download": ("Ladda ner tabellen (CSV)", "Download the table (CSV)"),
    "agreement.review": ("Granska oenigheter", "Review the disagreements"),
    # the evaluation of code suggestions on the Agreement page (ui/suggest_report.py)
    "suggest_eval.title": ("Kodförslag: hur bra skulle de vara?", "Code suggestions: how good would they be?"),
    "suggest_eval.help": ("Korsvalidering per transkript på de färdiga transkripten: modellen lär sig av några och "
                          "kodar de andra. Jämförs med ett nyckelordsfilter och en baslinje som bara gissar utifrån "
                          "hur vanliga koderna är, och modellens α mot varje kodare jämförs med kodarnas egen α. "
                          "Inget skrivs i projektet.",
                          "Cross-validation by transcript on the finished transcripts: the model learns from some "
                          "and codes the others. Compared with a keyword matcher and a baseline that only knows how "
                          "common the codes are; the model's α with each coder is shown next to the coders' own α. "
                          "Nothing is written to the project."),
    "suggest_eval.source": ("Lär av", "Learn from"),
    "suggest_eval.all": ("alla färdiga kodare", "all finished coders"),
    "suggest_eval.folds": ("Delar", "Folds"),
    "suggest_eval.threshold": ("Tröskel", "Threshold"),
    "suggest_eval.run": ("Utvärdera", "Evaluate"),
    "suggest_eval.running": ("Tränar och testar modellen på varje del …",
                             "Training and testing the model on each fold …"),
    "suggest_eval.summary": ("Lärt av **{source}**: {segments} segment i {transcripts} färdiga transkript, "
                             "{codes} koder med tillräckligt många exempel, {folds} delar, tröskel {threshold}.",
                             "Learned from **{source}**: {segments} segments in {transcripts} finished transcripts, "
                             "{codes} codes with enough examples, {folds} folds, threshold {threshold}."),
    "suggest_eval.method": ("Metod", "Method"),
    "suggest_eval.model": ("Modellen", "The model"),
    "suggest_eval.keyword": ("Nyckelord (baslinje)", "Keywords (baseline)"),
    "suggest_eval.prior": ("Kodernas frekvens (baslinje)", "Code frequencies (baseline)"),
    "suggest_eval.pair": ("Par", "Pair"),
    "suggest_eval.model_vs": ("modellen mot {coder}", "the model vs {coder}"),
    "suggest_eval.human_human": ("kodarna sinsemellan", "the coders with each other"),
    "suggest_eval.training_segments": ("Segment att lära av", "Training segments"),
    "suggest_eval.curve": ("Inlärningskurva: F1 mot antalet kodade segment modellen lärde av",
                           "Learning curve: F1 against the number of coded segments the model learned from"),
    "agreement.span_ranges": ("Kodade textdelar, per kodare (håll muspekaren över en markering för koden):",
                              "Coded parts of the text, per coder (hover a mark for its code):"),
    "agreement.review_help": ("Segment där kodarnas koder skiljer sig åt, i transkript som alla valda kodare "
                              "har markerat som klara. Ett klick sätter konsensuskoderna; beslutet sparas med "
                              "ditt namn och tid i ändringsloggen.",
                              "Segments where the coders' codes differ, in transcripts every chosen coder has "
                              "marked done. One click sets the consensus codes; the decision is saved with your "
                              "name and the time in the audit log."),
    "agreement.review_state": ("Visa", "Show"),
    "agreement.review_all": ("Alla", "All"),
    "agreement.review_open": ("Ej beslutade", "Undecided"),
    "agreement.review_decided": ("Beslutade", "Decided"),
    "agreement.review_transcript": ("Transkript", "Transcript"),
    "agreement.review_all_transcripts": ("Alla transkript", "All transcripts"),
    "agreement.review_progress": ("{decided} av {n} oenigheter beslutade", "{decided} of {n} disagreements decided"),
    "agreement.review_none": ("Inga oenigheter: kodarna är helt eniga i de klara transkripten.",
                              "No disagreements: the coders agree completely in the finished transcripts."),
    "agreement.review_empty": ("Inga segment att visa med det här filtret.", "No segments to show with this filter."),
    "agreement.segment": ("{transcript} · segment {n}", "{transcript} · segment {n}"),
    "agreement.no_code": ("(ingen kod)", "(no code)"),
    "agreement.definitions": ("Kodernas definitioner", "The codes' definitions"),
    "agreement.applied_by": ("satt av {names}", "applied by {names}"),
    "agreement.accept": ("Ta {coder}s koder", "Accept {coder}'s codes"),
    "agreement.union": ("Alla koder (union)", "All codes (union)"),
    "agreement.union_help": ("Konsensus = varje kod som någon av kodarna satte.",
                             "Consensus = every code any of the coders applied."),
    "agreement.manual": ("Konsensuskoder", "Consensus codes"),
    "agreement.manual_save": ("Spara", "Save"),
    "agreement.manual_help": ("Välj koderna själv och spara (tomt = beslut: ingen kod).",
                              "Choose the codes yourself and save (empty = decision: no code)."),
    "agreement.decided": ("Beslutat av {who} {when}: {codes}", "Decided by {who} {when}: {codes}"),
    "agreement.decided_plain": ("Konsensus: {codes}", "Consensus: {codes}"),
    "agreement.undecided": ("Ej beslutat", "Undecided"),
    "agreement.saved": ("Beslut sparat: {where}", "Decision saved: {where}"),
    "agreement.copy_agreed": ("Kopiera alla eniga segment till konsensus", "Copy all agreed segments to consensus"),
    "agreement.copy_help": ("Där alla valda kodare har satt exakt samma koder får konsensus samma koder. Redan "
                            "beslutade segment lämnas orörda.",
                            "Where every chosen coder applied exactly the same codes, the consensus gets the "
                            "same codes. Segments already decided are left alone."),
    "pseudo.title": ("Pseudonymisera (GDPR)", "Pseudonymise (GDPR)"),
    "pseudo.intro": ("Hittar personnamn, personnummer, telefonnummer och e-postadresser och ersätter dem med "
                     "stabila platshållare ([Person 1], [Telefon] …). Kommun- och organisationsnamn behålls. "
                     "Du granskar varje träff innan något ändras; kodningarna stannar på sina ord.",
                     "Finds person names, personal identity numbers, phone numbers and e-mail addresses and "
                     "replaces them with stable placeholders ([Person 1], [Telefon] …). Municipality and "
                     "organisation names are kept. You review every finding before anything changes; codings "
                     "stay on their words."),
    "pseudo.key_file": ("Nyckelfil (platshållare → original)", "Key file (placeholder → original)"),
    "pseudo.key_help": ("Nyckeln sparas aldrig i projektet. Förvara den åtskild från projektfilen, t.ex. på en "
                        "krypterad enhet; samma nyckel ger samma platshållare nästa gång.",
                        "The key is never stored in the project. Keep it apart from the project file, e.g. on "
                        "an encrypted drive; the same key gives the same placeholders next time."),
    "pseudo.names": ("Kända namn (ett per rad)", "Known names (one per line)"),
    "pseudo.keep": ("Behåll alltid (ett per rad)", "Always keep (one per line)"),
    "pseudo.propose": ("Föreslå ersättningar", "Propose replacements"),
    "pseudo.nothing": ("Inga personuppgifter hittades.", "No personal data found."),
    "pseudo.found": ("{n} träffar, {persons} personer ({kinds}). Bocka ur det som inte är personuppgifter; "
                     "osäkra gissningar är urbockade från början.",
                     "{n} findings, {persons} persons ({kinds}). Untick what is not personal data; uncertain "
                     "guesses start unticked."),
    "pseudo.col_take": ("Ersätt", "Replace"),
    "pseudo.col_text": ("Text", "Text"),
    "pseudo.col_replacement": ("Blir", "Becomes"),
    "pseudo.col_kind": ("Slag", "Kind"),
    "pseudo.col_where": ("Var", "Where"),
    "pseudo.col_context": ("Sammanhang", "Context"),
    "pseudo.preview": ("Förhandsgranska transkript", "Preview transcript"),
    "pseudo.before": ("Före", "Before"),
    "pseudo.after": ("Efter", "After"),
    "pseudo.sure": ("Ja, ersätt de {n} markerade träffarna i projektet", "Yes, replace the {n} ticked findings in "
                    "the project"),
    "pseudo.apply": ("Pseudonymisera", "Pseudonymise"),
    "pseudo.applied": ("{n} ersättningar i {transcripts} transkript. Nyckeln finns i {file}.",
                       "{n} replacements in {transcripts} transcripts. The key is in {file}."),
    "pseudo.leftovers": ("{n} ställen innehåller fortfarande ett original (t.ex. filnamn eller kodarnamn):",
                         "{n} places still hold an original (e.g. file names or coder names):"),
    "project.delete": ("Ta bort ett transkript", "Delete a transcript"),
    "project.delete_which": ("Transkript", "Transcript"),
    "project.delete_pick": ("Välj transkriptet som ska tas bort", "Choose the transcript to delete"),
    "project.delete_warning": ("**{name}** tas bort med sina {segments} segment och {codings} kodningar (alla "
                               "kodares), memon och klarmarkeringar. Det loggas i granskningsloggen men kan inte "
                               "ångras här.",
                               "**{name}** is deleted with its {segments} segments and {codings} codings (every "
                               "coder's), memos and done-markers. It is recorded in the audit log but cannot be "
                               "undone here."),
    "project.delete_sure": ("Ja, jag vill ta bort transkriptet och dess kodningar",
                            "Yes, delete the transcript and its codings"),
    "project.delete_button": ("Ta bort", "Delete"),
    "project.deleted": ("{name} togs bort ({segments} segment, {codings} kodningar).",
                        "{name} was deleted ({segments} segments, {codings} codings)."),
    "agreement.leads_only": ("Bara projektets ägare och ledare kan besluta konsensus; du kan läsa granskningen.",
                             "Only the project's owners and leads can settle consensus; you can read the review."),
    "agreement.copied": ("{agreed} eniga segment i {transcripts} transkript; {written} segment med koder "
                         "kopierade ({codings} kodningar); {skipped} redan beslutade lämnades orörda.",
                         "{agreed} agreed segments in {transcripts} transcripts; {written} segments with codes "
                         "copied ({codings} codings); {skipped} already decided were left alone."),
    "coding.page": ("s. {n}", "p. {n}"),   # the page of a PDF a segment starts on
    # memos (ui/page_memos.py, ui/memo_panel.py)
    "nav.memos": ("Memon", "Memos"),
    "memos.title": ("Memon", "Memos"),
    "memos.help": ("Memon om projektet, transkript, segment, koder och kodningar, från alla kodare. Sökningen "
                   "bryr sig inte om stora/små bokstäver eller å/ä/ö; alla ord måste finnas i memot.",
                   "Memos on the project, transcripts, segments, codes and codings, by every coder. The search "
                   "ignores case and å/ä/ö; every word must occur in the memo."),
    "memos.write": ("Skriv ett memo", "Write a memo"),
    "memos.about": ("Memot gäller", "The memo is about"),
    "memos.kind.project": ("Projektet", "The project"),
    "memos.kind.transcript": ("Ett transkript", "A transcript"),
    "memos.kind.segment": ("Ett segment", "A segment"),
    "memos.kind.code": ("En kod", "A code"),
    "memos.kind.coding": ("En kodning", "A coding"),
    "memos.pick_transcript": ("Transkript", "Transcript"),
    "memos.pick_code": ("Kod", "Code"),
    "memos.pick_placeholder": ("Välj …", "Choose …"),
    "memos.text": ("Memo", "Memo"),
    "memos.text_placeholder": ("Vad vill du komma ihåg?", "What do you want to remember?"),
    "memos.save": ("Spara memot", "Save the memo"),
    "memos.saved": ("Memot sparat ({target}).", "Memo saved ({target})."),
    "memos.pick_first": ("Välj först vad memot gäller.", "First choose what the memo is about."),
    "memos.segment_hint": ("Memon om segment och kodningar skriver du på sidan Kodning.",
                           "Memos on segments and codings are written on the Coding page."),
    "memos.viewer_only": ("Din roll är läsare: du kan läsa och ladda ner memona men inte skriva.",
                          "Your role is viewer: you can read and download the memos but not write."),
    "memos.search": ("Sök i memona", "Search the memos"),
    "memos.kinds": ("Slag", "Kind"),
    "memos.all_kinds": ("Alla slag", "Every kind"),
    "memos.coder": ("Kodare", "Coder"),
    "memos.everyone": ("Alla kodare", "Every coder"),
    "memos.transcript": ("Transkript", "Transcript"),
    "memos.all_transcripts": ("Alla transkript", "Every transcript"),
    "memos.none": ("Inga memon att visa.", "No memos to show."),
    "memos.found": ("**{n}** memon, de senaste först.", "**{n}** memos, the newest first."),
    "memos.edit": ("Ändra", "Edit"),
    "memos.edit_save": ("Spara ändringen", "Save the change"),
    "memos.edited": ("Memot ändrat.", "Memo changed."),
    "memos.unchanged": ("Memot var redan så.", "The memo said that already."),
    "memos.delete": ("Ta bort", "Delete"),
    "memos.delete_sure": ("Ja, ta bort memot", "Yes, delete the memo"),
    "memos.delete_button": ("Ta bort memot", "Delete the memo"),
    "memos.deleted": ("Memot togs bort. Ångra tar tillbaka det.", "The memo was deleted. Undo brings it back."),
    "memos.undo": ("Ångra", "Undo"),
    "memos.undo_help": ("Ångrar ditt senaste steg, vilket det än var (ett memo, en kodning …).",
                        "Undoes your newest step, whatever it was (a memo, a coding …)."),
    "memos.undone": ("Ångrat: {what}.", "Undone: {what}."),
    "memos.undo_add": ("memot du skrev ({where})", "the memo you wrote ({where})"),
    "memos.undo_edit": ("ändringen av memot ({where})", "the change to the memo ({where})"),
    "memos.undo_delete": ("borttagningen av memot ({where})", "deleting the memo ({where})"),
    "memos.undo_other": ("ditt senaste steg ({where})", "your newest step ({where})"),
    "memos.nothing_to_undo": ("Inget att ångra.", "Nothing to undo."),
    "memos.project": ("projektet", "the project"),
    "memos.download": ("Ladda ner {fmt}", "Download {fmt}"),
    "memos.box": ("Memon ({n})", "Memos ({n})"),
    "memos.box_new": ("Nytt memo om transkriptet", "New memo on the transcript"),
    "memos.box_more": ("Ändra, ta bort och sök bland alla memon på sidan Memon.",
                       "Edit, delete and search every memo on the Memos page."),
    # recordings (ui/media_player.py, ui/media_section.py)
    "media.section": ("Inspelningar", "Recordings"),
    "media.help": ("Koppla ljud- eller videofilen (mp3, m4a, wav, ogg, webm, mp4) till sitt transkript, så kan du "
                   "spela upp ett segment där det sades på sidan Kodning (transkript från VTT/SRT eller med "
                   "tidsstämplar). Projektet sparar var filen finns, inte själva filen; uppladdade filer läggs i "
                   "mappen {folder} bredvid projektet.",
                   "Attach the audio or video file (mp3, m4a, wav, ogg, webm, mp4) to its transcript to play a "
                   "segment where it was said on the Coding page (transcripts from VTT/SRT or with timestamps). "
                   "The project keeps where the file is, not the file; uploads go to the folder {folder} beside "
                   "the project."),
    "media.transcript": ("Transkript", "Transcript"),
    "media.upload": ("Ladda upp en inspelning (högst {mb} MB)", "Upload a recording (at most {mb} MB)"),
    "media.path": ("… eller sökvägen till filen på den här datorn (stora filer)",
                   "… or the path of the file on this computer (large files)"),
    "media.replace": ("Ersätt transkriptets inspelning", "Replace the transcript's recording"),
    "media.attach": ("Koppla inspelningen", "Attach the recording"),
    "media.attached": ("{file} kopplades till {transcript}.", "{file} was attached to {transcript}."),
    "media.replaced": ("Inspelningen till {transcript} ersattes med {file}.",
                       "The recording of {transcript} was replaced by {file}."),
    "media.repointed": ("Inspelningen till {transcript} hittas nu i {file}.",
                        "The recording of {transcript} is now found at {file}."),
    "media.pick_both": ("Välj ett transkript och en fil.", "Choose a transcript and a file."),
    "media.too_big": ("{name} är {size} MB; gränsen för uppladdning är {mb} MB. Ange sökvägen i stället, eller "
                      "använd qcode media add.", "{name} is {size} MB; the upload limit is {mb} MB. Give its path "
                      "instead, or use qcode media add."),
    "media.none": ("Inga inspelningar kopplade än.", "No recordings attached yet."),
    "media.status": ("Status", "Status"),
    "media.status.ok": ("finns", "found"),
    "media.status.missing": ("saknas", "missing"),
    "media.status.changed": ("ändrad", "changed"),
    "media.file": ("Fil", "File"),
    "media.remove": ("Koppla bort", "Detach"),
    "media.removed": ("Inspelningen kopplades bort från {transcript} (filen finns kvar).",
                      "The recording was detached from {transcript} (the file stays)."),
    "media.missing": ("Inspelningen till {transcript} finns inte längre i {path}. Koppla den igen på sidan Projekt "
                      "(samma fil på ett nytt ställe känns igen).",
                      "The recording of {transcript} is no longer at {path}. Attach it again on the Project page "
                      "(the same file at a new place is recognised)."),
    "media.changed": ("Inspelningen till {transcript} i {path} har ändrats sedan den kopplades. Koppla den igen på "
                      "sidan Projekt.", "The recording of {transcript} at {path} has changed since it was attached. "
                      "Attach it again on the Project page."),
    "media.too_big_to_play": ("Inspelningen är för stor för att spelas upp i webbläsaren ({size} MB); gör en mp3 "
                              "eller m4a av den.", "The recording is too large to play in the browser ({size} MB); "
                              "make an mp3 or m4a of it."),
    "media.play_from": ("Spela upp från {time}", "Play from {time}"),
    "media.play": ("Spela upp inspelningen (segmentet har ingen tid)", "Play the recording (the segment has no time)"),
    # the codebook in Swedish and English
    "codebook.lang_sv": ("Svenska", "Svenska"),
    "codebook.lang_en": ("English", "English"),
    "codebook.texts_help": ("Skriv definition, regler och exempel på svenska och engelska. En tom ruta visar "
                            "det andra språkets text (grå), och den texten ser läsarna då.",
                            "Write the definition, rules and example in Swedish and English. An empty box shows "
                            "the other language's text (grey), and that is what readers then see."),
    "codebook.definition_placeholder": ("Vad koden betyder", "What the code means"),
    "codebook.include_placeholder": ("Koda när …", "Code when …"),
    "codebook.exclude_placeholder": ("Koda inte när … (och vilken kod som gäller i stället)",
                                     "Do not code when … (and which code applies instead)"),
    "codebook.example_placeholder": ("Ett citat ur en intervju eller rapport", "A quote from an interview or report"),
    # our own placeholders instead of Streamlit's English "Choose an option" / "Choose options"
    "ui.choose": ("Välj …", "Choose …"),
    "ui.choose_or_type": ("Välj, eller skriv för att söka …", "Choose, or type to search …"),
    "ui.choose_many": ("Välj en eller flera …", "Choose one or more …"),
    "ui.all_values": ("Alla", "All"),
    "matrix.under_placeholder": ("Hela kodboken", "The whole codebook"),
    # spans: any stretch of text coded on the coding page
    "span.pending": ("Markerad text: **{n}** tecken. Välj en kod (sökrutan eller 1–9).",
                     "Selected text: **{n}** characters. Choose a code (the finder or 1–9)."),
    "span.clear": ("Släpp markeringen (Esc)", "Clear the selection (Esc)"),
    "span.title": ("Kodad passage: **{code}** · {coder}", "Coded passage: **{code}** · {coder}"),
    "span.others": ("Fler koder här: {codes}", "More codes here: {codes}"),
    "span.remove": ("Ta bort", "Remove"),
    "span.remove_help": ("Ta bort koden från just den här passagen (kan ångras med U)",
                         "Remove the code from this passage only (undo with U)"),
    "span.change": ("Byt kod", "Change the code"),
    "span.change_help": ("Sätter den valda koden på samma text och tar bort den gamla, i ett steg att ångra.",
                         "Applies the chosen code to the same text and removes the old one, as one step to undo."),
    "span.memo": ("Memo till passagen", "Memo on the passage"),
    "span.close": ("Stäng", "Close"),
    "span.applied": ("**{code}** satt på den markerade texten", "**{code}** applied to the selected text"),
    "span.already": ("**{code}** fanns redan på den texten", "**{code}** was already on that text"),
    "span.removed": ("**{code}** borttagen från passagen", "**{code}** removed from the passage"),
    "span.changed": ("Passagen har nu **{code}**", "The passage now has **{code}**"),
    "span.gone": ("Passagen finns inte längre (ändrad i en annan flik eller ångrad).",
                  "The passage is gone (changed in another tab, or undone)."),
    "span.undo_add": ("kod {code} på en passage ({where})", "code {code} on a passage ({where})"),
    "span.undo_remove": ("borttagning av {code} från en passage ({where})",
                         "removal of {code} from a passage ({where})"),
    "span.undo_change": ("kodbytet till {code} på en passage ({where})",
                         "the change to {code} on a passage ({where})"),
    "span.hidden": ("Markeringen går över segment som inte visas här (sökfiltret döljer dem); markera bara text "
                    "som står i följd.", "The selection runs over segments not shown here (the search filter hides "
                    "them); select only text that stands together."),
    "span.undo_memo": ("memot på en passage ({where})", "the memo on a passage ({where})"),
    "span.memo_saved": ("Memot på passagen sparat", "Memo on the passage saved"),
    "span.keys": ("- markera text med musen (eller **Shift+pilar**): koda just den texten med sökrutan eller "
                  "**1–9**; **Esc** släpper markeringen; klick på en färgad passage: ta bort, byt kod, memo",
                  "- select text with the mouse (or **Shift+arrows**): code just that text with the finder or "
                  "**1–9**; **Esc** clears the selection; click a coloured passage: remove, change code, memo"),
    # code suggestions on the coding page (ui/suggestion_panel.py)
    "suggest.title": ("Förslag ({n} på sidan) – inte kodningar förrän du godtar dem",
                      "Suggestions ({n} on this page) – not codings until you accept them"),
    "suggest.chip": ("Förslag (inte en kodning), säkerhet", "Suggestion (not a coding), confidence"),
    "suggest.from_model": ("Förslag från modell {model} ({kind})", "Proposed by model {model} ({kind})"),
    "suggest.accept": ("Godta (A)", "Accept (A)"),
    "suggest.accept_help": ("Godta det markerade segmentets bästa förslag: det blir din kodning (U ångrar)",
                            "Accept the selected segment's best suggestion: it becomes your coding (U undoes)"),
    "suggest.reject": ("Avböj (X)", "Reject (X)"),
    "suggest.reject_help": ("Avböj det bästa förslaget; modellen föreslår det inte igen (U ångrar)",
                            "Reject the best suggestion; the model will not propose it again (U undoes)"),
    "suggest.min_score": ("Lägsta säkerhet", "Lowest confidence"),
    "suggest.accept_all": ("Godta alla {n} över {x} på sidan", "Accept all {n} above {x} on this page"),
    "suggest.uncertain": ("Mest osäkra först", "Most uncertain first"),
    "suggest.uncertain_help": ("Visa först de segment där modellen är minst säker: där lär den sig mest av dig",
                               "Show first the segments the model is least sure of: it learns most from you there"),
    "suggest.make": ("Föreslå koder", "Suggest codes"),
    "suggest.make_help": ("Låt den senaste tillåtna modellen föreslå koder för transkriptet (blir inga kodningar)",
                          "Let the newest allowed model propose codes for this transcript (no codings are made)"),
    "suggest.made": ("{n} nya förslag från modell {model}", "{n} new suggestions from model {model}"),
    "suggest.accepted": ("{n} förslag godtagna som dina kodningar", "{n} suggestions accepted as your codings"),
    "suggest.rejected": ("{n} förslag avböjda", "{n} suggestions rejected"),
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
