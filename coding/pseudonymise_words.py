"""Word lists behind :mod:`coding.pseudonymise` (no logic here).

* :data:`MUNICIPALITIES`: the 290 Swedish municipalities (kept by default);
* :data:`PLACES` and :data:`ORGANISATIONS`: other place and organisation names
  that are kept (counties, provinces, countries, agencies, products …);
* :data:`NOT_NAMES`: capitalised words that are not names of persons (function
  words that start sentences, English words, programme names …);
* :data:`FIRST_NAMES` and :data:`SURNAMES`: common Swedish names, recognised
  even at the start of a sentence;
* :data:`COMMON_WORD_NAMES`: names that are also ordinary Swedish words ("Per",
  "Hans", "Björn"), only taken as names when capitalised inside a sentence;
* :data:`PERSON_ATTRIBUTES` / :data:`KEEP_ATTRIBUTES`: attribute names whose
  values are persons / places or organisations.

All entries are compared case-folded.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip().casefold() for w in text.split(",") if w.strip())


# By county (län): Stockholm 26, Uppsala 8, Södermanland 9, Östergötland 13, Jönköping 13,
# Kronoberg 8, Kalmar 12, Gotland 1, Blekinge 5, Skåne 33, Halland 6, Västra Götaland 49,
# Värmland 16, Örebro 12, Västmanland 10, Dalarna 15, Gävleborg 10, Västernorrland 7,
# Jämtland 8, Västerbotten 15, Norrbotten 14.
MUNICIPALITIES = _words("""
Botkyrka, Danderyd, Ekerö, Haninge, Huddinge, Järfälla, Lidingö, Nacka, Norrtälje, Nykvarn, Nynäshamn,
Salem, Sigtuna, Sollentuna, Solna, Stockholm, Sundbyberg, Södertälje, Tyresö, Täby, Upplands Väsby,
Upplands-Bro, Vallentuna, Vaxholm, Värmdö, Österåker,
Enköping, Heby, Håbo, Knivsta, Tierp, Uppsala, Älvkarleby, Östhammar,
Eskilstuna, Flen, Gnesta, Katrineholm, Nyköping, Oxelösund, Strängnäs, Trosa, Vingåker,
Boxholm, Finspång, Kinda, Linköping, Mjölby, Motala, Norrköping, Söderköping, Vadstena, Valdemarsvik, Ydre,
Åtvidaberg, Ödeshög,
Aneby, Eksjö, Gislaved, Gnosjö, Habo, Jönköping, Mullsjö, Nässjö, Sävsjö, Tranås, Vaggeryd, Vetlanda, Värnamo,
Alvesta, Lessebo, Ljungby, Markaryd, Tingsryd, Uppvidinge, Växjö, Älmhult,
Borgholm, Emmaboda, Hultsfred, Högsby, Kalmar, Mönsterås, Mörbylånga, Nybro, Oskarshamn, Torsås, Vimmerby,
Västervik,
Gotland,
Karlshamn, Karlskrona, Olofström, Ronneby, Sölvesborg,
Bjuv, Bromölla, Burlöv, Båstad, Eslöv, Helsingborg, Hässleholm, Höganäs, Hörby, Höör, Klippan, Kristianstad,
Kävlinge, Landskrona, Lomma, Lund, Malmö, Osby, Perstorp, Simrishamn, Sjöbo, Skurup, Staffanstorp, Svalöv,
Svedala, Tomelilla, Trelleborg, Vellinge, Ystad, Åstorp, Ängelholm, Örkelljunga, Östra Göinge,
Falkenberg, Halmstad, Hylte, Kungsbacka, Laholm, Varberg,
Ale, Alingsås, Bengtsfors, Bollebygd, Borås, Dals-Ed, Essunga, Falköping, Färgelanda, Grästorp, Gullspång,
Göteborg, Götene, Herrljunga, Hjo, Härryda, Karlsborg, Kungälv, Lerum, Lidköping, Lilla Edet, Lysekil,
Mariestad, Mark, Mellerud, Munkedal, Mölndal, Orust, Partille, Skara, Skövde, Sotenäs, Stenungsund,
Strömstad, Svenljunga, Tanum, Tibro, Tidaholm, Tjörn, Tranemo, Trollhättan, Töreboda, Uddevalla,
Ulricehamn, Vara, Vårgårda, Vänersborg, Åmål, Öckerö,
Arvika, Eda, Filipstad, Forshaga, Grums, Hagfors, Hammarö, Karlstad, Kil, Kristinehamn, Munkfors, Storfors,
Sunne, Säffle, Torsby, Årjäng,
Askersund, Degerfors, Hallsberg, Hällefors, Karlskoga, Kumla, Laxå, Lekeberg, Lindesberg, Ljusnarsberg, Nora,
Örebro,
Arboga, Fagersta, Hallstahammar, Kungsör, Köping, Norberg, Sala, Skinnskatteberg, Surahammar, Västerås,
Avesta, Borlänge, Falun, Gagnef, Hedemora, Leksand, Ludvika, Malung-Sälen, Mora, Orsa, Rättvik,
Smedjebacken, Säter, Vansbro, Älvdalen,
Bollnäs, Gävle, Hofors, Hudiksvall, Ljusdal, Nordanstig, Ockelbo, Ovanåker, Sandviken, Söderhamn,
Härnösand, Kramfors, Sollefteå, Sundsvall, Timrå, Ånge, Örnsköldsvik,
Berg, Bräcke, Härjedalen, Krokom, Ragunda, Strömsund, Åre, Östersund,
Bjurholm, Dorotea, Lycksele, Malå, Nordmaling, Norsjö, Robertsfors, Skellefteå, Sorsele, Storuman, Umeå,
Vilhelmina, Vindeln, Vännäs, Åsele,
Arjeplog, Arvidsjaur, Boden, Gällivare, Haparanda, Jokkmokk, Kalix, Kiruna, Luleå, Pajala, Piteå, Älvsbyn,
Överkalix, Övertorneå
""")

PLACES = _words("""
Sverige, Norge, Danmark, Finland, Island, Norden, Skandinavien, Europa, Tyskland, England, Storbritannien,
Frankrike, Spanien, Italien, Polen, Estland, Lettland, Litauen, Ryssland, Ukraina, Turkiet, Grekland,
Somalia, Eritrea, Etiopien, Syrien, Irak, Iran, Afghanistan, Libanon, Bosnien, Kosovo, Serbien, Kroatien,
Thailand, Kina, Indien, Pakistan, Amerika, Usa, Kanada, Afrika, Asien, Australien, Mellanöstern,
Skåne, Blekinge, Halland, Småland, Öland, Östergötland, Västergötland, Bohuslän, Dalsland, Värmland,
Närke, Västmanland, Uppland, Södermanland, Dalarna, Gästrikland, Hälsingland, Jämtland, Medelpad,
Ångermanland, Västerbotten, Norrbotten, Lappland, Norrland, Svealand, Götaland, Sápmi,
Höglandet, Finnveden, Vätterbygden, Vättern, Vänern, Mälaren, Visingsö, Östersjön, Västkusten, Bergslagen,
Huskvarna, Bankeryd, Taberg, Gränna, Skillingaryd, Anderstorp, Reftele, Smålandsstenar, Hestra, Bodafors,
Forserum, Landsbro, Rydaholm, Vrigstad, Burseryd, Kisa, Rimforsa, Mantorp, Ingelstad, Rottne, Lammhult,
Tenhult, Sandhem, Holsbybrunn, Korsberga, Norrahammar, Tenhult, Solberga, Frinnaryd,
Göteborgs, Stockholms, Malmös, Jönköpings, Oslo, Köpenhamn, Helsingfors, Reykjavik, Bryssel, London, Berlin,
Paris, Ullared
""")

ORGANISATIONS = _words("""
Arbetsförmedlingen, Försäkringskassan, Samordningsförbundet, Samordningsförbund, Socialstyrelsen,
Socialtjänsten, Kommunen, Regionen, Region, Landstinget, Länsstyrelsen, Migrationsverket, Skatteverket,
Kriminalvården, Polisen, Kronofogden, Skolverket, Skolinspektionen, Folkhälsomyndigheten, Riksdagen,
Regeringen, Arbetsmiljöverket, Pensionsmyndigheten, Inspektionen, Csn, Komvux, Vuxenutbildningen,
Folkhögskolan, Samhall, Finsam, Fourum, Misa, Jobbtorget, Habiliteringen, Psykiatrin, Vårdcentralen,
Rehabiliteringen, Vetenskapsrådet, Forte, Vinnova, Esf, Socialfonden, Europeiska, Sveriges, Kommuner,
Regioner, Skr, Skl, Handikappförbunden, Funktionsrätt, Fontänhuset, Coompanion, Lernia, Manpower, Adecco,
Ikea, Volvo, Scania, Ericsson, Ica, Coop, Lidl, Willys, Hemköp, Postnord, Swedbank, Handelsbanken, Nordea,
Google, Microsoft, Facebook, Instagram, Linkedin, Messenger, Whatsapp, Skype, Teams, Zoom, Excel, Word,
Outlook, Powerpoint, Iphone, Android, Youtube, Spotify, Sfi, Röda Korset, Rädda Barnen, Stadsmissionen,
Frälsningsarmén, University, Universitet, Universitetet, Högskolan, College, Kommunal, Unionen, Vision,
Vårdförbundet, Akademikerförbundet, Lärarförbundet, Saco, Lo, Tco, Jobbtorg, Biltema, Maxi, Gekås, Corona,
Covid, Covid-19, Mcdonalds, Systembolaget, Apoteket, Folktandvården, Vårdguiden, Kry
""")

NOT_NAMES = _words("""
det, den, de, dem, detta, denna, dessa, men, och, eller, så, sen, sedan, då, nu, här, där, jag, du, han, hon,
hen, vi, ni, man, mig, dig, oss, er, ja, nej, jo, nja, okej, ok, precis, visst, absolut, alltså, asså,
liksom, typ, nämligen, först, sist, efter, innan, före, när, om, att, som, vad, vem, vilken, vilket, vilka,
hur, varför, var, vart, inte, alla, allt, alltid, aldrig, ibland, ofta, många, några, någon, något, ingen,
inget, inga, en, ett, min, mitt, mina, din, ditt, dina, vår, vårt, våra, ert, era, deras, hennes, dess,
i, på, till, från, med, för, av, under, över, mellan, genom, utan, enligt, eftersom, därför, dessutom,
också, även, bara, just, kanske, egentligen, faktiskt, tyvärr, hej, hejsan, tack, bra, fint, mm, mhm, hm,
ehm, öh, aha, oj, jaha, jaså, nåja, nåväl, tja, tjena, absolut, dels, både, antingen, varken, fast,
fastän, medan, trots, tills, sådär, sådan, sådana, annars, ändå, däremot, således, slutligen, sammanfattningsvis,
ungefär, kanske, troligen, säkert, självklart, naturligtvis, jättebra, gärna, visst, vet, tror, tycker,
känner, menar, säger, sa, sade, tänk, titta, kolla, förlåt, ursäkta, skratt, paus, ohörbart, oklart,
intervjuare, intervjuaren, intervjuperson, chef, chefen, coach, coachen, handläggare, handledare, deltagare,
deltagaren, respondent, informant, samordnare, projektledare, enhetschef, verksamhetschef, kommun, län,
stad, staden, landsting, myndighet, förvaltning, kommunstyrelsen, nämnden, socialnämnden, norra, södra,
östra, västra, mellersta, stora, lilla, nya, gamla, övre, nedre, sankt, gud, herregud, jesus, allah,
asperger, aspergers, alzheimer, parkinson, tourette, down, adhd, add, autism,
person, personnummer, telefon, e-post, mejl, mail, sms,
supported, employment, individual, placement, support, fidelity, scale, the, and, of, in, on, at, to, for,
with, we, you, he, she, they, it, this, that, these, those, what, who, how, why, when, where, yes, no,
ok, okay, well, so, but, if, or, not, all, some, my, our, your, his, her, their, there, here, please, thanks,
january, february, march, april, may, june, july, august, september, october, november, december,
monday, tuesday, wednesday, thursday, friday, saturday, sunday, mr, mrs, ms, dr, prof
""")

FIRST_NAMES = _words("""
Anna, Eva, Maria, Karin, Kristina, Lena, Sara, Emma, Kerstin, Ingrid, Marie, Malin, Jenny, Hanna, Linda,
Annika, Susanne, Elin, Monica, Monika, Birgitta, Sofia, Johanna, Carina, Elisabeth, Elisabet, Helena,
Margareta, Ulla, Julia, Ida, Camilla, Åsa, Anneli, Ebba, Alice, Maja, Elsa, Astrid, Wilma, Agnes, Ella,
Frida, Linnea, Linnéa, Lisa, Therese, Jessica, Sandra, Louise, Cecilia, Ann, Anette, Annette, Gunilla,
Inger, Marianne, Lisbeth, Katarina, Charlotte, Petra, Erika, Emelie, Emilia, Matilda, Klara, Clara, Amanda,
Josefin, Caroline, Karolina, Nina, Anita, Birgit, Britt, Gun, Siv, Yvonne, Ewa, Agneta, Barbro, Viktoria,
Victoria, Ronja, Moa, Tove, Stina, Ylva, Sanna, Mia, Pia, Lotta, Helen, Helene, Ingela, Ingegerd, Sofie,
Alva, Vera, Saga, Selma, Signe, Tilda, Hedvig, Ellen, Nora, Elvira, Olivia, Isabelle, Isabella, Felicia,
Lovisa, Tuva, Thea, Minna, Madeleine, Mona, Marita, Rebecka, Ulrika, Veronica, Veronika, Viveka, Märta,
Ingeborg, Sigrid, Gunnel, Gunvor, Ingrid, Irene, Iris, Jeanette, Johanna, Kajsa, Katja, Lina, Liv, Louise,
Magdalena, Maud, Mikaela, Nathalie, Paula, Rut, Ruth, Sonja, Susanna, Svea, Tina, Tora, Ulrica, Vanja,
Fatima, Amina, Aisha, Leila, Yasmin, Sara, Zeinab, Hawa, Maryam, Mariam,
Lars, Mikael, Michael, Anders, Johan, Erik, Per, Karl, Peter, Thomas, Tomas, Jan, Daniel, Fredrik, Hans,
Andreas, Stefan, Mohammed, Mohammad, Mohamed, Muhammad, Magnus, Mats, Bengt, Jonas, Mattias, Matthias,
Martin, Niklas, Nicklas, Björn, Nils, Sven, Bo, Leif, Henrik, Marcus, Markus, Alexander, Gustav, Gustaf,
Oskar, Oscar, Axel, Emil, Filip, Anton, Viktor, Victor, Jakob, Jacob, Robert, David, Christer, Göran, Ulf,
Kjell, Rolf, Tommy, Roger, Patrik, Patrick, Joakim, Tobias, Sebastian, Simon, Jonathan, Kristoffer,
Christoffer, Christian, Kristian, Rasmus, Linus, Hugo, Elias, William, Oliver, Lucas, Lukas, Liam, Noah,
Adam, Isak, Ludvig, Vincent, Leo, Theo, Arvid, Albin, Olle, Ola, Olof, Åke, Gunnar, Ingemar, Kent,
Lennart, Stig, Sten, Bertil, Gösta, Arne, Rune, Roland, Torbjörn, Ove, Kurt, Jörgen, Janne, Kalle, Pelle,
Micke, Jesper, Joel, Samuel, Benjamin, Max, Melvin, Edvin, Alfred, Wilhelm, Valter, Walter, Harry,
Sixten, Elis, Otto, Josef, Carl, Claes, Håkan, Jens, Johannes, Jimmy, Kenneth, Richard, Ronny, Sören,
Urban, Conny, Dan, Dennis, Erling, Evert, Folke, Gert, Hampus, Helge, Ivar, Jonny, Krister, Morgan,
Pontus, Reine, Sune, Tage, Tord, Torsten, Yngve, Örjan, Ahmed, Ali, Hassan, Hussein, Omar, Abdi, Yusuf,
Ibrahim, Mustafa, Karim, Amir, Reza, Dragan, Goran, Zoran, Emir, Kevin, Robin, Jonatan, Frans, Kristofer,
Lars-Erik, Jan-Erik, Per-Olof, Karl-Erik, Anna-Karin, Eva-Lena, Ann-Christin, Ann-Charlotte, Ann-Marie,
Ann-Sofie, Ulla-Britt, Britt-Marie, Lena-Karin, Mari, Marja, Merja, Tuula, Pirjo, Kari, Jukka, Pekka,
Ester, Esther, Ragnar, Einar, Edgar, Jennifer, Rebecca, Nicole, Michelle, Angelica, Angelika, Jasmine, Nelly,
Melissa, Elina, Jonna, Greta, Hilda, Dagny, Gudrun, Solveig, Sylvia, Margit, Gertrud, Elna, Ebbe, Egon, Erland,
Harald, Henning, Holger, Ingvar, Knut, Leon, Loke, Malte, Mauritz, Ossian, Ruben, Sigvard, Sture, Sverker,
Vilgot, Waldemar, Birger, Bernt, Börje, Greger, Inge, Jarl, Ronald, Lisette, Linn, Mikaela, Tindra, Nellie
""")

SURNAMES = _words("""
Andersson, Johansson, Karlsson, Carlsson, Nilsson, Eriksson, Larsson, Olsson, Persson, Svensson,
Gustafsson, Gustavsson, Pettersson, Petersson, Jonsson, Jansson, Hansson, Bengtsson, Jönsson, Lindberg,
Jakobsson, Jacobsson, Magnusson, Olofsson, Lindström, Lindqvist, Lindkvist, Lindgren, Axelsson, Berg,
Bergström, Lundberg, Lundgren, Lind, Lundqvist, Lundkvist, Mattsson, Berglund, Fredriksson, Sandberg,
Henriksson, Forsberg, Sjöberg, Wallin, Engström, Eklund, Danielsson, Lundin, Håkansson, Björk, Bergman,
Gunnarsson, Holm, Wikström, Samuelsson, Isaksson, Fransson, Bergqvist, Nyström, Holmberg, Arvidsson,
Löfgren, Söderberg, Nyberg, Blomqvist, Claesson, Nordström, Mårtensson, Lundström, Viklund, Björklund,
Eliasson, Pålsson, Berggren, Sandström, Lund, Nordin, Ström, Åberg, Ekström, Holmgren, Hermansson, Hedlund,
Sundberg, Dahlberg, Hellström, Sjögren, Abrahamsson, Falk, Martinsson, Öberg, Andreasson, Blom, Ek,
Månsson, Strömberg, Åkesson, Jonasson, Norberg, Sundström, Lindahl, Dahl, Åström, Ekberg, Lindholm,
Nordlund, Hedberg, Strand, Holmqvist, Sundqvist, Lindblom, Lindell, Nyman, Lindén, Wennberg, Bergh,
Hansen, Nielsen, Jensen, Olsen, Pedersen, Andersen, Larsen, Johansen, Virtanen, Korhonen, Nieminen,
Hussein, Mohamud, Ahmadi, Hosseini, Yilmaz, Kaya, Nowak, Kowalski, Jovanović, Petrović, Nikolić
""")

# Names that are also ordinary words: never taken as a name at the start of a sentence on their own.
COMMON_WORD_NAMES = _words("""
Per, Hans, Bo, Stig, Sten, Dan, Max, Tom, Björn, Urban, Klara, Sanna, Saga, Axel, Liv, Dag, My, Karl,
Minna, Tuva, Rut, Ask, Tor, Siv, Gun, Ella, Berg, Ek, Lind, Holm, Ström, Falk, Blom, Björk, Lund, Strand,
Dahl, Frans, Vera, Mark, Iris, Lo, Ale, Kil, Eda, Mora, Sala, Vara, Boden
""")

# Attribute names whose values are persons (any word of the attribute name counts: "intervjuare_namn").
PERSON_ATTRIBUTES = _words("""
intervjuare, intervjuaren, interviewer, intervjuperson, interviewee, informant, respondent, deltagare,
participant, namn, name, person, personnamn, kontaktperson, kontakt, contact, coach, handledare,
handläggare, transkriberare, transcriber, moderator, samtalsledare, utvärderare, forskare, researcher
""")

# Attribute names whose values are places or organisations (kept and protected).
KEEP_ATTRIBUTES = _words("""
kommun, kommunnamn, municipality, organisation, organization, org, verksamhet, enhet, förvaltning,
myndighet, region, län, county, ort, plats, place, location, arbetsplats, arbetsgivare, employer, land,
country, stad, city, roll, role, befattning, titel, title, projekt, project
""")

# Speaker labels and attribute values that name a role, not a person ("Chef 2", "IP", "SE-coach").
ROLE_WORDS = _words("""
i, ip, int, intervjuare, intervjuaren, intervjuperson, informant, informanten, r, resp, respondent,
respondenten, interviewer, interviewee, moderator, moderatorn, facilitator, samtalsledare, processledare,
projektledare, deltagare, deltagaren, participant, p, chef, chefen, coach, se-coach, ips-coach, jobbcoach,
handläggare, handledare, samordnare, utvärderare, utvärderaren, forskare, researcher, talare, speaker,
person, q, a, fråga, svar, question, answer, kvinna, man, ungdom, elev, patient, klient, brukare, anhörig,
förälder, mamma, pappa, läkare, sjuksköterska, kurator, arbetsgivare, arbetsterapeut, fysioterapeut,
psykolog, lärare, rektor, personal, medarbetare, kollega, arbetskonsulent, arbetsspecialist, enhetschef,
verksamhetschef, avdelningschef, politiker, ordförande, sekreterare, tolk, observatör, alla, flera, okänd,
unknown, röst, voice, ljud, musik, skratt
""")
