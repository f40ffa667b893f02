"""Fixed material of the demo networks: provinces, comuni, streets and name pools.

Every person built from these pools is fictitious: first and last names are drawn
independently, so a combination never stands for a real person. Names keep their own
spelling, letters outside Latin-1 included (Ğ, ı, Ș, Ț, Ł, Đ, ...), because real
registers are full of them and every screen and printout must show them right.
"""

from __future__ import annotations

# The 107 Italian provinces and metropolitan cities: code -> chief town.
PROVINCES: dict[str, str] = {
    "AG": "Agrigento", "AL": "Alessandria", "AN": "Ancona", "AO": "Aosta", "AP": "Ascoli Piceno",
    "AQ": "L'Aquila", "AR": "Arezzo", "AT": "Asti", "AV": "Avellino", "BA": "Bari", "BG": "Bergamo",
    "BI": "Biella", "BL": "Belluno", "BN": "Benevento", "BO": "Bologna", "BR": "Brindisi", "BS": "Brescia",
    "BT": "Barletta", "BZ": "Bolzano", "CA": "Cagliari", "CB": "Campobasso", "CE": "Caserta",
    "CH": "Chieti", "CL": "Caltanissetta", "CN": "Cuneo", "CO": "Como", "CR": "Cremona", "CS": "Cosenza",
    "CT": "Catania", "CZ": "Catanzaro", "EN": "Enna", "FC": "Forlì", "FE": "Ferrara", "FG": "Foggia",
    "FI": "Firenze", "FM": "Fermo", "FR": "Frosinone", "GE": "Genova", "GO": "Gorizia", "GR": "Grosseto",
    "IM": "Imperia", "IS": "Isernia", "KR": "Crotone", "LC": "Lecco", "LE": "Lecce", "LI": "Livorno",
    "LO": "Lodi", "LT": "Latina", "LU": "Lucca", "MB": "Monza", "MC": "Macerata", "ME": "Messina",
    "MI": "Milano", "MN": "Mantova", "MO": "Modena", "MS": "Massa", "MT": "Matera", "NA": "Napoli",
    "NO": "Novara", "NU": "Nuoro", "OR": "Oristano", "PA": "Palermo", "PC": "Piacenza", "PD": "Padova",
    "PE": "Pescara", "PG": "Perugia", "PI": "Pisa", "PN": "Pordenone", "PO": "Prato", "PR": "Parma",
    "PT": "Pistoia", "PU": "Pesaro", "PV": "Pavia", "PZ": "Potenza", "RA": "Ravenna", "RC": "Reggio Calabria",
    "RE": "Reggio Emilia", "RG": "Ragusa", "RI": "Rieti", "RM": "Roma", "RN": "Rimini", "RO": "Rovigo",
    "SA": "Salerno", "SI": "Siena", "SO": "Sondrio", "SP": "La Spezia", "SR": "Siracusa", "SS": "Sassari",
    "SU": "Carbonia", "SV": "Savona", "TA": "Taranto", "TE": "Teramo", "TN": "Trento", "TO": "Torino",
    "TP": "Trapani", "TR": "Terni", "TS": "Trieste", "TV": "Treviso", "UD": "Udine", "VA": "Varese",
    "VB": "Verbania", "VC": "Vercelli", "VE": "Venezia", "VI": "Vicenza", "VR": "Verona", "VT": "Viterbo",
    "VV": "Vibo Valentia",
}

# Bigger provinces host more structures (rough weights, not statistics).
BIG_PROVINCES = {"RM": 8, "MI": 8, "NA": 6, "TO": 6, "PA": 5, "BA": 4, "BO": 4, "FI": 4, "GE": 3, "CT": 3,
                 "VE": 3, "VR": 3, "BS": 3, "BG": 3, "PD": 3, "SA": 3, "RC": 3, "CS": 3, "ME": 2, "TA": 2}

LOMBARDY = ("BG", "BS", "CO", "CR", "LC", "LO", "MB", "MI", "MN", "PV", "SO", "VA")

# A few real comuni of each Lombard province (the regional network lives there).
COMUNI: dict[str, tuple[str, ...]] = {
    "BG": ("Bergamo", "Treviglio", "Seriate", "Dalmine", "Romano di Lombardia", "Albino"),
    "BS": ("Brescia", "Desenzano del Garda", "Montichiari", "Lumezzane", "Chiari", "Rovato"),
    "CO": ("Como", "Cantù", "Erba", "Mariano Comense", "Olgiate Comasco"),
    "CR": ("Cremona", "Crema", "Casalmaggiore", "Soresina"),
    "LC": ("Lecco", "Merate", "Calolziocorte", "Valmadrera", "Casatenovo"),
    "LO": ("Lodi", "Codogno", "Casalpusterlengo", "Sant'Angelo Lodigiano"),
    "MB": ("Monza", "Desio", "Seregno", "Lissone", "Cesano Maderno", "Vimercate"),
    "MI": ("Milano", "Sesto San Giovanni", "Cinisello Balsamo", "Legnano", "Rho", "Cologno Monzese",
           "Novate Milanese", "Bollate", "Cormano", "Paderno Dugnano", "San Donato Milanese"),
    "MN": ("Mantova", "Castiglione delle Stiviere", "Suzzara", "Viadana"),
    "PV": ("Pavia", "Vigevano", "Voghera", "Mortara"),
    "SO": ("Sondrio", "Tirano", "Morbegno", "Chiavenna", "Ponte in Valtellina", "Teglio"),
    "VA": ("Varese", "Busto Arsizio", "Gallarate", "Saronno", "Besozzo", "Comerio", "Luino"),
}

STREETS = (
    "Via Roma", "Via Garibaldi", "Via Mazzini", "Via Dante", "Via Verdi", "Via Manzoni", "Via Cavour",
    "Via XX Settembre", "Via Marconi", "Via Matteotti", "Via Gramsci", "Via Carducci", "Via Pascoli",
    "Via Leopardi", "Via dei Mille", "Via San Francesco", "Via Volta", "Viale Europa", "Via Trento",
    "Via Trieste", "Via Piave", "Via IV Novembre", "Via della Libertà", "Via Fiume", "Via Monte Grappa",
    "Via Vittorio Veneto", "Via Battisti", "Via Don Milani", "Via dei Tigli", "Via delle Rose",
    "Via Solferino", "Via Cadorna", "Via Ugo Foscolo", "Via Petrarca", "Via Colombo", "Via Bellini",
    "Via Puccini", "Via Rossini", "Via Galilei", "Via Copernico", "Via Sauro", "Via Oberdan",
)

HOUSE_NAMES = (
    "Glicine", "Betulla", "Abete", "Tiglio", "Castagno", "Acero", "Ontano", "Larice", "Mandorlo",
    "Gelso", "Ulivo", "Melograno", "Girasole", "Ginestra", "Lavanda", "Magnolia", "Edera", "Pervinca",
    "Sorgente", "Ponte", "Approdo", "Orizzonte", "Bussola", "Aurora", "Ancora", "Faro", "Vela",
    "Rondine", "Airone", "Gabbiano", "Alba", "Meridiana", "Arcobaleno", "Quercia", "Salice",
)

EXIT_DESTINATIONS = {
    "socio_economic": ("Abitazione autonoma in affitto", "Alloggio con amici o connazionali",
                       "Alloggio del datore di lavoro", "Housing sociale del Comune"),
    "term_expired": ("Ospite presso connazionali", "Dormitorio comunale", "Sconosciuta",
                     "Alloggio temporaneo con amici"),
    "voluntary_abandonment": ("Sconosciuta", "Altro paese europeo", "Sconosciuta"),
    "revocation": ("Sconosciuta",),
    "assisted_return": ("Rimpatrio nel paese d'origine",),
    "transfer_other_project": ("Altro progetto SAI", "Progetto SAI di altra provincia"),
    "dublin_transfer": ("Paese UE competente (Dublino)",),
    "other": ("Comunità terapeutica", "Struttura sanitaria", "Sconosciuta"),
}

EXTENSION_REASONS = (
    "Tirocinio in corso", "Percorso di inserimento lavorativo", "Ricerca di un alloggio in corso",
    "Motivi di salute", "Completamento del corso di lingua", "Nucleo con minori a scuola",
)
OUTAGE_REASONS = ("Riparazione impianto idraulico", "Tinteggiatura", "Sostituzione materasso",
                  "Infiltrazioni d'acqua", "Manutenzione straordinaria")
ALIASES = ("Stella", "Luna", "Aurora", "Perla", "Sole", "Rosa", "Iris", "Viola", "Nina", "Mira",
           "Leo", "Sam", "Alex", "Noa", "Kai")
GENDER_IDENTITIES = ("donna trans", "uomo trans", "persona non binaria")

# citizenship (in Italian, as registers write it) -> (men's names, women's names, last names)
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Nigeria": (
        ("Chinedu", "Emeka", "Oluwaseun", "Tunde", "Osagie", "Efosa", "Ikenna", "Obinna", "Uche", "Kelechi"),
        ("Blessing", "Precious", "Joy", "Ngozi", "Adaeze", "Ifeoma", "Osas", "Favour", "Chiamaka", "Ehi"),
        ("Okafor", "Adeyemi", "Eze", "Obi", "Omoregie", "Ogbonna", "Nwosu", "Okonkwo", "Edosa", "Aigbe",
         "Osaro", "Iyamu"),
    ),
    "Pakistan": (
        ("Bilal", "Usman", "Hamza", "Asad", "Waqar", "Zeeshan", "Faisal", "Tariq", "Adnan"),
        ("Ayesha", "Fatima", "Zainab", "Sana", "Hina", "Mehwish", "Rabia", "Sadia"),
        ("Khan", "Malik", "Qureshi", "Butt", "Chaudhry", "Raza", "Iqbal", "Javed", "Abbasi", "Siddiqui"),
    ),
    "Afghanistan": (
        ("Farid", "Habib", "Sayed", "Jawad", "Nasir", "Wahid", "Rahmatullah", "Samiullah", "Zabihullah"),
        ("Zahra", "Mariam", "Nasrin", "Farzana", "Parwana", "Shabnam", "Marzia", "Freshta"),
        ("Ahmadzai", "Hakimi", "Rahimi", "Noori", "Sultani", "Karimi", "Popal", "Safi", "Hashimi", "Azizi"),
    ),
    "Siria": (
        ("Rami", "Omar", "Khaled", "Firas", "Ziad", "Hussam", "Tamer", "Wael"),
        ("Lina", "Rania", "Yara", "Nour", "Hala", "Dima", "Rasha", "Ghalia"),
        ("Al-Hassan", "Haddad", "Khoury", "Darwish", "Sabbagh", "Al-Ahmad", "Hamwi", "Halabi", "Ibrahim"),
    ),
    "Ucraina": (
        ("Oleksandr", "Dmytro", "Andrii", "Serhii", "Bohdan", "Yurii", "Taras", "Mykola"),
        ("Olena", "Iryna", "Yuliia", "Oksana", "Kateryna", "Nataliia", "Halyna", "Sofiia"),
        ("Kovalenko", "Bondarenko", "Tkachenko", "Kravchuk", "Melnyk", "Boiko", "Savchuk"),
    ),
    "Turchia": (
        ("Mehmet", "Çağrı", "Gökhan", "Ömer", "Doğan", "Barış", "Ilgın", "Serkan", "Şerko", "Tuğrul"),
        ("Ayşe", "Elif", "Şule", "Büşra", "Yağmur", "Gülşen", "Işıl", "Dilek", "Özlem", "Ceylan"),
        ("Yılmaz", "Kaya", "Demir", "Çelik", "Şahin", "Öztürk", "Aydın", "Kılıç", "Yıldız", "Arslan",
         "Karağaç", "Güneş", "Çiftçi", "Doğru", "Ağaoğlu"),
    ),
    "Albania": (
        ("Arben", "Besnik", "Klodian", "Ermal", "Gentian", "Ilir", "Dritan", "Altin"),
        ("Elira", "Mirela", "Jonida", "Ardita", "Blerta", "Ëngjëllushe", "Dorina", "Anila"),
        ("Gashi", "Krasniqi", "Shehu", "Dervishi", "Kola", "Marku", "Çela", "Hasani", "Lleshi", "Prenga"),
    ),
    "Eritrea": (
        ("Yonas", "Mehari", "Filmon", "Ghebre", "Robel", "Amanuel", "Biniam", "Tesfalem"),
        ("Senait", "Selam", "Luwam", "Helen", "Saba", "Rahel", "Yordanos", "Mebrat"),
        ("Tesfamariam", "Ghebremedhin", "Habte", "Kidane", "Woldu", "Berhane", "Tekle", "Haile", "Mesfin"),
    ),
    "Costa d'Avorio": (
        ("Kouassi", "Yao", "Konan", "Drissa", "Seydou", "Ibrahim", "Koffi", "Lassina"),
        ("Aya", "Adjoua", "Mariam", "Awa", "Affoué", "Fatou", "Akissi", "Salimata"),
        ("Kouamé", "Koné", "Traoré", "Bamba", "Coulibaly", "N'Guessan", "Yéo", "Soro", "Diabaté", "Kouadio"),
    ),
    "Bangladesh": (
        ("Rahim", "Sabbir", "Arif", "Mizanur", "Shahidul", "Rakib", "Tanvir", "Jahid"),
        ("Nusrat", "Tahmina", "Shirin", "Farzana", "Rupa", "Sumaiya", "Jannatul"),
        ("Hossain", "Rahman", "Islam", "Akter", "Uddin", "Chowdhury", "Miah", "Sarker", "Alam"),
    ),
    "Romania": (
        ("Ștefan", "Mihai", "Ionuț", "Răzvan", "Andrei", "Cătălin", "Florin", "Bogdan"),
        ("Ioana", "Andreea", "Florentina", "Alexandra", "Mădălina", "Ștefania", "Loredana", "Cosmina"),
        ("Popescu", "Ionescu", "Dumitrescu", "Stănescu", "Munteanu", "Țurcanu", "Constantinescu",
         "Moldovan", "Bălan", "Rădulescu", "Țăranu"),
    ),
    "Gambia": (
        ("Lamin", "Ebrima", "Modou", "Ousman", "Alieu", "Momodou", "Bakary", "Sainey"),
        ("Fatou", "Isatou", "Mariama", "Awa", "Haddy", "Ndey"),
        ("Jallow", "Ceesay", "Touray", "Bah", "Sanneh", "Jobe", "Darboe", "Manneh"),
    ),
    "Guinea": (
        ("Mamadou", "Alpha", "Ibrahima", "Sekou", "Ousmane", "Abdoulaye", "Thierno"),
        ("Kadiatou", "Fanta", "Aissatou", "Mariame", "Hawa", "Oumou"),
        ("Diallo", "Barry", "Camara", "Sow", "Keïta", "Bangoura", "Soumah"),
    ),
    "Mali": (
        ("Boubacar", "Adama", "Bakary", "Souleymane", "Oumar", "Sidiki"),
        ("Aminata", "Kadidia", "Djeneba", "Rokia", "Fatoumata", "Assitan"),
        ("Diarra", "Traoré", "Sissoko", "Coulibaly", "Dembélé", "Sangaré", "Konaté"),
    ),
    "Somalia": (
        ("Abdirahman", "Mohamed", "Abdullahi", "Hassan", "Yusuf", "Abdiwali", "Liban"),
        ("Hodan", "Faadumo", "Ayaan", "Sahra", "Hibaaq", "Ubah", "Nimco"),
        ("Warsame", "Abdi", "Jama", "Dualeh", "Nur", "Osman", "Elmi"),
    ),
    "Iraq": (
        ("Ahmed", "Ali", "Karwan", "Rebwar", "Hêmin", "Dilshad", "Shwan", "Mustafa"),
        ("Shilan", "Zhîla", "Sara", "Hêvî", "Nasreen", "Rozhîn", "Tara"),
        ("Hawezi", "Rashid", "Aziz", "Mahmud", "Qadir", "Şêxo", "Hawrami", "Salih"),
    ),
    "Marocco": (
        ("Youssef", "Hicham", "Rachid", "Mohamed", "Said", "Karim", "Anas"),
        ("Fatima Zahra", "Khadija", "Salma", "Imane", "Houda", "Nadia"),
        ("El Amrani", "Benali", "Bouzid", "Ouhadi", "Tazi", "El Idrissi", "Chaoui", "Lahlou"),
    ),
    "Tunisia": (
        ("Mehdi", "Aymen", "Wassim", "Skander", "Hamza", "Bilel"),
        ("Amira", "Ines", "Rim", "Sonia", "Mariem"),
        ("Ben Salah", "Trabelsi", "Gharbi", "Jebali", "Mejri", "Ayari", "Hamdi"),
    ),
    "Egitto": (
        ("Ahmed", "Mahmoud", "Mostafa", "Karim", "Amr", "Tarek"),
        ("Mona", "Aya", "Nourhan", "Heba", "Reem"),
        ("Abdelrahman", "El Sayed", "Mansour", "Fathy", "Hegazy", "Salem"),
    ),
    "Georgia": (
        ("Giorgi", "Levan", "Davit", "Irakli", "Nika"),
        ("Nino", "Tamar", "Mariam", "Ketevan", "Salome"),
        ("Beridze", "Kapanadze", "Gelashvili", "Lomidze", "Tsiklauri", "Maisuradze"),
    ),
    "Colombia": (
        ("Andrés", "Julián", "Santiago", "Camilo", "Felipe"),
        ("Valentina", "Camila", "Daniela", "Juliana", "Luisa Fernanda"),
        ("Gómez", "Rodríguez", "Martínez", "Ramírez", "Ospina", "Cárdenas", "Zuluaga"),
    ),
    "Perù": (
        ("José", "Luis", "Jhon", "Renzo", "Piero"),
        ("Milagros", "Rocío", "Yesenia", "Kiara", "Flor"),
        ("Quispe", "Mamani", "Huamán", "Flores", "Chávez", "Condori", "Ccori"),
    ),
    "Brasile": (
        ("João", "Thiago", "Rafael", "Lucas", "Gabriel"),
        ("Thaís", "Letícia", "Bruna", "Larissa", "Fernanda"),
        ("da Silva", "dos Santos", "Oliveira", "Souza", "Pereira", "Araújo", "Conceição"),
    ),
    "Serbia": (
        ("Đorđe", "Nikola", "Miloš", "Dušan", "Đuro", "Stefan"),
        ("Đurđica", "Jelena", "Milica", "Dragana", "Ivana"),
        ("Đukić", "Đorđević", "Kovačević", "Petrović", "Nikolić", "Đurić", "Marković"),
    ),
    "Polonia": (
        ("Łukasz", "Paweł", "Michał", "Przemysław", "Wojciech"),
        ("Łucja", "Małgorzata", "Agnieszka", "Żaneta", "Urszula"),
        ("Łęcka", "Nowak", "Wiśniewski", "Kowalczyk", "Wróbel", "Żak", "Dąbrowski"),
    ),
    "El Salvador": (
        ("Carlos", "Josué", "Kevin", "Wilber", "Nelson"),
        ("Yésica", "Marisol", "Karla", "Roxana", "Evelyn"),
        ("Hernández", "Martínez", "López", "Rivas", "Alvarado", "Portillo"),
    ),
    "Venezuela": (
        ("Luis", "Jesús", "Daniel", "Rafael", "Alejandro"),
        ("María José", "Andreína", "Yulimar", "Gabriela", "Génesis"),
        ("González", "Pérez", "Rodríguez", "Briceño", "Castillo", "Mendoza"),
    ),
    "Cina": (
        ("Wei", "Jun", "Hao", "Lei", "Chen"),
        ("Mei", "Li Na", "Xiu", "Yan", "Ting"),
        ("Zhang", "Wang", "Liu", "Chen", "Zhou", "Huang", "Xu"),
    ),
}

# Who comes to which kind of programme (weights, rough and invented).
SAI_ORIGINS = (
    ("Pakistan", 14), ("Afghanistan", 12), ("Nigeria", 11), ("Bangladesh", 8), ("Siria", 6),
    ("Ucraina", 5), ("Turchia", 6), ("Eritrea", 5), ("Costa d'Avorio", 6), ("Gambia", 5), ("Guinea", 5),
    ("Mali", 4), ("Somalia", 3), ("Iraq", 4), ("Tunisia", 3), ("Egitto", 3), ("Georgia", 2),
    ("El Salvador", 2), ("Venezuela", 2), ("Colombia", 2), ("Perù", 1), ("Albania", 1), ("Marocco", 2),
)
MSNA_ORIGINS = (
    ("Egitto", 12), ("Tunisia", 8), ("Gambia", 8), ("Guinea", 9), ("Costa d'Avorio", 8), ("Mali", 6),
    ("Bangladesh", 8), ("Pakistan", 7), ("Afghanistan", 8), ("Albania", 5), ("Ucraina", 4), ("Somalia", 4),
    ("Eritrea", 4), ("Marocco", 5), ("Turchia", 2),
)
ART18_ORIGINS = (
    ("Nigeria", 30), ("Romania", 12), ("Albania", 6), ("Marocco", 4), ("Bangladesh", 5), ("Pakistan", 5),
    ("Costa d'Avorio", 5), ("Cina", 3), ("Brasile", 4), ("Colombia", 4), ("Perù", 3), ("Ucraina", 3),
    ("Serbia", 2), ("Polonia", 2), ("Georgia", 2), ("Turchia", 2),
)
# Trans people under art. 18 protection mostly come from Latin America in these registers.
TRANS_ORIGINS = (("Brasile", 5), ("Colombia", 4), ("Perù", 4), ("Venezuela", 2), ("El Salvador", 2),
                 ("Turchia", 1), ("Nigeria", 1))
