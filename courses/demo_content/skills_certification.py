# ruff: noqa: E501
"""Demo content: Skills certification module (FR source, EN translation). Pure data."""

MODULE = {
    "key": "skills-certification",
    "topic": "skills_certification",
    "audiences": ["employment_counsellors", "trainers", "employers", "trade_unions"],
    "estimated_hours": 7,
    "enrolment_mode": "open",
    "translations": {
        # FR (source)
        "fr": {
            "title": "Certification des compétences",
            "slug": "certification-des-competences",
            "summary": "Reconnaître, évaluer et certifier les compétences des travailleurs migrants et de retour : validation des acquis, référentiels, répertoire partagé des métiers, évaluation et certificats reconnus d'un pays à l'autre.",
            "objectives": [
                "Expliquer les principes et les étapes de la validation des acquis de l'expérience (VAE) et ses bénéfices pour les travailleurs migrants et de retour.",
                "Lire un référentiel de compétences et contribuer à sa construction : activités, tâches, compétences, critères de performance.",
                "Utiliser le répertoire partagé ROAME pour coder un métier et comparer offres d'emploi et profils entre pays.",
                "Choisir des méthodes d'évaluation adaptées et juger la qualité des preuves.",
                "Accompagner un candidat de la demande jusqu'au certificat, y compris la certification partielle et la vérification numérique.",
            ],
            "prerequisites": "Aucun prérequis formel. Une expérience de l'orientation, de la formation, du recrutement ou du dialogue social est utile.",
            "competencies": [
                "Informer et orienter un travailleur vers une démarche de validation des acquis",
                "Analyser un référentiel de compétences et ses critères de performance",
                "Coder un métier dans le répertoire ROAME et rapprocher offres et profils",
                "Concevoir ou vérifier un dispositif d'évaluation fondé sur des preuves",
                "Expliquer le processus de certification, la certification partielle et la vérification des certificats",
            ],
            "pre_test": {
                "title": "Test de positionnement",
                "pass_mark": 0,
                "max_attempts": 1,
                "questions": [
                    {
                        "text": "Que signifie le sigle VAE ?",
                        "kind": "single",
                        "explanation": "La La VAE permet d'obtenir tout ou partie d'une certification grâce aux compétences acquises par l'expérience.",
                        "choices": [
                            {"text": "Validation des acquis de l'expérience", "correct": True, "feedback": "Exact : c'est le nom français de la reconnaissance des acquis."},
                            {"text": "Vérification administrative de l'emploi", "correct": False, "feedback": "Non : il ne s'agit pas d'un contrôle administratif mais d'une reconnaissance de compétences."},
                            {"text": "Visa d'accès à l'emploi", "correct": False, "feedback": "Non : la VAE ne donne aucun droit au séjour ni au travail ; elle certifie des compétences."},
                        ],
                    },
                    {
                        "text": "Il faut obligatoirement posséder un diplôme pour s'engager dans une démarche de validation des acquis.",
                        "kind": "true_false",
                        "explanation": "La validation des acquis s'adresse justement aux personnes qui ont appris par l'expérience, avec ou sans diplôme.",
                        "choices": [
                            {"text": "Vrai", "correct": False, "feedback": "Non : l'expérience en rapport avec la certification visée suffit pour déposer une demande."},
                            {"text": "Faux", "correct": True, "feedback": "Exact : aucun diplôme préalable n'est exigé."},
                        ],
                    },
                    {
                        "text": "Dans un référentiel, qu'est-ce qu'un critère de performance ?",
                        "kind": "single",
                        "explanation": "Le critère de performance dit, de façon observable, à quoi l'on reconnaît qu'une tâche est bien réalisée.",
                        "choices": [
                            {"text": "L'intitulé du métier", "correct": False, "feedback": "Non : l'intitulé nomme le métier sans dire ce qui est attendu."},
                            {"text": "Un énoncé observable qui précise le niveau de qualité attendu", "correct": True, "feedback": "Exact : par exemple une tolérance, un délai ou une règle de sécurité à respecter."},
                            {"text": "La durée de la formation", "correct": False, "feedback": "Non : la durée concerne le programme de formation, pas l'évaluation de la compétence."},
                        ],
                    },
                    {
                        "text": "À quoi sert un répertoire des métiers codé comme le ROME ?",
                        "kind": "single",
                        "explanation": "Un répertoire codé donne une référence commune pour décrire les métiers et rapprocher offres et demandes d'emploi.",
                        "choices": [
                            {"text": "Rapprocher les offres d'emploi et les profils des demandeurs", "correct": True, "feedback": "Exact : c'est sa fonction première dans les services de l'emploi."},
                            {"text": "Calculer les cotisations sociales", "correct": False, "feedback": "Non : le répertoire décrit des métiers, il n'a pas de fonction fiscale ou sociale."},
                            {"text": "Délivrer des diplômes", "correct": False, "feedback": "Non : seuls les organismes certificateurs délivrent des certifications."},
                        ],
                    },
                    {
                        "text": "Parmi ces méthodes, lesquelles permettent d'évaluer des compétences pratiques ?",
                        "kind": "multiple",
                        "explanation": "Les compétences pratiques s'évaluent par l'observation du travail, la mise en situation et l'examen de réalisations documentées.",
                        "choices": [
                            {"text": "L'observation directe au poste de travail", "correct": True, "feedback": "Oui : c'est la preuve la plus directe des gestes professionnels."},
                            {"text": "Une mise en situation ou simulation", "correct": True, "feedback": "Oui : elle reproduit des conditions de travail réalistes."},
                            {"text": "Un questionnaire de culture générale", "correct": False, "feedback": "Non : il ne dit rien de la maîtrise des gestes du métier."},
                            {"text": "Un portfolio de réalisations documentées", "correct": True, "feedback": "Oui : des preuves datées et attestées renseignent sur le travail effectivement réalisé."},
                        ],
                    },
                    {
                        "text": "Un certificat obtenu dans un pays est automatiquement reconnu dans tous les autres pays.",
                        "kind": "true_false",
                        "explanation": "La reconnaissance entre pays suppose des accords, la comparaison des référentiels et, pour les professions réglementées, une décision de l'autorité compétente.",
                        "choices": [
                            {"text": "Vrai", "correct": False, "feedback": "Non : il n'existe pas de reconnaissance automatique et universelle."},
                            {"text": "Faux", "correct": True, "feedback": "Exact : la reconnaissance se construit par des accords et des procédures."},
                        ],
                    },
                ],
            },
            "final_assessment": {
                "title": "Évaluation finale",
                "pass_mark": 70,
                "max_attempts": 3,
                "questions": [
                    {
                        "text": "Quel principe fonde la validation des acquis de l'expérience ?",
                        "kind": "single",
                        "explanation": "L'expérience ouvre l'accès à la démarche, mais la décision repose sur la démonstration des compétences au regard du référentiel.",
                        "choices": [
                            {"text": "On certifie des compétences démontrées, pas des années d'expérience", "correct": True, "feedback": "Exact : l'ancienneté seule ne suffit jamais."},
                            {"text": "On certifie l'ancienneté dans l'entreprise", "correct": False, "feedback": "Non : dix ans dans un poste ne prouvent pas la maîtrise de toutes les compétences du référentiel."},
                            {"text": "On certifie la présence à une formation", "correct": False, "feedback": "Non : la validation des acquis ne repose pas sur le suivi d'une formation."},
                        ],
                    },
                    {
                        "text": "Quelles étapes font partie d'une démarche de validation des acquis ?",
                        "kind": "multiple",
                        "explanation": "Les grandes phases sont l'identification, la documentation, l'évaluation et la certification ; le jury se prononce sur les compétences, jamais sur le statut migratoire.",
                        "choices": [
                            {"text": "L'identification des compétences au regard du référentiel", "correct": True, "feedback": "Oui : le candidat rapproche ses activités de celles du référentiel."},
                            {"text": "La documentation par un dossier de preuves", "correct": True, "feedback": "Oui : attestations, réalisations et fiches de paie appuient la demande."},
                            {"text": "L'évaluation par entretien ou mise en situation", "correct": True, "feedback": "Oui : l'évaluation permet au jury de se prononcer."},
                            {"text": "Le contrôle du titre de séjour du candidat par le jury", "correct": False, "feedback": "Non : le jury évalue des compétences ; le statut migratoire n'a pas à intervenir dans sa décision."},
                        ],
                    },
                    {
                        "text": "Dans un référentiel de maçon, « monter un mur en blocs de béton » est plutôt :",
                        "kind": "single",
                        "explanation": "Une tâche est une action concrète et observable, avec un début et une fin ; elle s'inscrit dans une activité plus large.",
                        "choices": [
                            {"text": "Une activité", "correct": False, "feedback": "Non : l'activité est plus large, par exemple « réaliser le gros œuvre »."},
                            {"text": "Une tâche", "correct": True, "feedback": "Exact : c'est une action concrète et observable."},
                            {"text": "Un critère de performance", "correct": False, "feedback": "Non : le critère dirait par exemple « le mur est d'aplomb à 5 mm près sur 2 m »."},
                        ],
                    },
                    {
                        "text": "Les organisations d'employeurs et de travailleurs devraient participer à l'élaboration et à la validation des référentiels de compétences.",
                        "kind": "true_false",
                        "explanation": "La participation des partenaires sociaux garantit que le référentiel correspond au travail réel et qu'il est reconnu sur le marché du travail.",
                        "choices": [
                            {"text": "Vrai", "correct": True, "feedback": "Exact : leur participation donne au référentiel sa crédibilité et sa pertinence."},
                            {"text": "Faux", "correct": False, "feedback": "Non : un référentiel élaboré sans les professionnels risque de ne pas être reconnu par les employeurs."},
                        ],
                    },
                    {
                        "text": "Un conseiller de Casablanca veut rapprocher une offre italienne de « saldatore » d'un candidat inscrit comme « soudeur ». Quel outil lui permet de le faire de façon fiable ?",
                        "kind": "single",
                        "explanation": "Le répertoire rattache les appellations des différents pays à une même fiche codée, pour comparer compétences demandées et détenues.",
                        "choices": [
                            {"text": "Le code ROAME commun auquel les deux appellations sont rattachées", "correct": True, "feedback": "Exact : le code commun permet ensuite de comparer les compétences détaillées."},
                            {"text": "Une traduction automatique de l'intitulé", "correct": False, "feedback": "Non : une traduction ne dit rien du contenu réel du poste ni des compétences exigées."},
                            {"text": "Le niveau de salaire proposé", "correct": False, "feedback": "Non : le salaire ne permet pas d'identifier un métier."},
                        ],
                    },
                    {
                        "text": "Si une offre et un profil partagent le même code ROAME, le candidat peut exercer librement dans le pays de destination, même s'il s'agit d'une profession réglementée.",
                        "kind": "true_false",
                        "explanation": "Un code commun indique un métier comparable. Pour une profession réglementée, le pays d'accueil exige une reconnaissance officielle de la qualification.",
                        "choices": [
                            {"text": "Vrai", "correct": False, "feedback": "Non : le code ne vaut pas autorisation d'exercer."},
                            {"text": "Faux", "correct": True, "feedback": "Exact : il faut vérifier les conditions d'accès au métier dans le pays de destination."},
                        ],
                    },
                    {
                        "text": "Une candidate présente uniquement des photos non datées de ses réalisations, sans attestation. Quelles qualités de la preuve posent question ?",
                        "kind": "multiple",
                        "explanation": "On ne sait ni qui a réalisé le travail, ni quand, ni si tous les critères sont couverts.",
                        "choices": [
                            {"text": "L'authenticité", "correct": True, "feedback": "Oui : rien ne prouve que la candidate est l'auteure du travail."},
                            {"text": "L'actualité", "correct": True, "feedback": "Oui : sans date, on ne sait pas si la compétence est récente."},
                            {"text": "La suffisance", "correct": True, "feedback": "Oui : quelques photos ne couvrent pas tous les critères du référentiel."},
                            {"text": "L'équité", "correct": False, "feedback": "Non : l'équité concerne la manière d'évaluer le candidat, pas la qualité d'une pièce du dossier."},
                        ],
                    },
                    {
                        "text": "Pour évaluer les gestes d'aide à la toilette d'une candidate auxiliaire de vie tout en respectant l'intimité des personnes, la méthode la plus adaptée est :",
                        "kind": "single",
                        "explanation": "La simulation sur plateau technique permet d'observer les gestes réels sans exposer une personne vulnérable.",
                        "choices": [
                            {"text": "Une mise en situation sur plateau technique, avec mannequin", "correct": True, "feedback": "Exact : les gestes sont observables et l'intimité des personnes est préservée."},
                            {"text": "Un questionnaire écrit à choix multiples", "correct": False, "feedback": "Non : il vérifie des connaissances, pas des gestes professionnels."},
                            {"text": "L'ancienneté indiquée sur le CV", "correct": False, "feedback": "Non : l'ancienneté n'est pas une preuve de compétence."},
                        ],
                    },
                    {
                        "text": "Deux évaluateurs utilisent la même grille et parviennent à la même décision pour un candidat. Quelle qualité de l'évaluation est ainsi renforcée ?",
                        "kind": "single",
                        "explanation": "La fiabilité signifie qu'une autre personne, ou un autre moment, conduirait au même résultat.",
                        "choices": [
                            {"text": "La fiabilité", "correct": True, "feedback": "Exact : la décision ne dépend pas de l'évaluateur."},
                            {"text": "L'actualité", "correct": False, "feedback": "Non : l'actualité porte sur le caractère récent des compétences."},
                            {"text": "La suffisance", "correct": False, "feedback": "Non : la suffisance porte sur la quantité et la couverture des preuves."},
                        ],
                    },
                    {
                        "text": "Quelles informations un certificat numérique vérifiable peut-il contenir ?",
                        "kind": "multiple",
                        "explanation": "Le certificat ne contient que le nécessaire : émetteur, titulaire, certification, blocs acquis, date. Les données sensibles en sont exclues.",
                        "choices": [
                            {"text": "L'organisme émetteur", "correct": True, "feedback": "Oui : c'est ce qui permet de vérifier la signature."},
                            {"text": "La certification et les blocs de compétences acquis", "correct": True, "feedback": "Oui : l'employeur sait précisément ce qui a été validé."},
                            {"text": "La date de délivrance", "correct": True, "feedback": "Oui : elle situe la certification dans le temps."},
                            {"text": "Le statut migratoire du titulaire", "correct": False, "feedback": "Non : c'est une donnée sensible sans rapport avec les compétences."},
                        ],
                    },
                ],
            },
            "lessons": [
                {
                    "title": "La validation des acquis de l'expérience",
                    "slug": "validation-des-acquis",
                    "summary": "Ce qu'est la reconnaissance des acquis, pourquoi elle compte pour les travailleurs migrants et de retour, et les grandes étapes d'une démarche.",
                    "minutes": 25,
                    "body": [
                        ("heading", "Reconnaître ce que l'on sait déjà faire"),
                        ("paragraph", "<p>Beaucoup de travailleurs ont appris leur métier sur le tas : dans un atelier familial, sur un chantier, dans un emploi à l'étranger. Ils sont compétents mais n'ont aucun diplôme pour le prouver. La <b>reconnaissance des acquis</b> (en anglais <i>recognition of prior learning</i>, RPL) permet d'obtenir tout ou partie d'une certification officielle à partir de ce que la personne sait réellement faire, quels que soient le lieu et la manière dont elle l'a appris. En France, ce dispositif s'appelle la <b>validation des acquis de l'expérience</b> (VAE).</p><p>La Recommandation n° 195 de l'OIT sur la mise en valeur des ressources humaines (2004) invite les États à reconnaître les compétences, y compris celles acquises de manière informelle. L'Union européenne a adopté en 2012 une recommandation sur la validation de l'apprentissage non formel et informel.</p><p>Quelques principes guident toute démarche sérieuse :</p><ul><li><b>On certifie des compétences, pas des années</b> : l'expérience ouvre l'accès, mais seule la démonstration des compétences compte.</li><li><b>Même certification, même exigence</b> : le certificat obtenu par validation a la même valeur que celui obtenu par la formation.</li><li><b>Démarche volontaire et confidentielle</b> : la personne choisit de s'engager et ses données sont protégées.</li><li><b>Égalité de traitement</b> : aucune discrimination liée à la nationalité, au sexe, au statut migratoire ou à la langue.</li><li><b>Accompagnement</b> : un conseiller aide le candidat à décrire son expérience et à réunir ses preuves.</li></ul>"),
                        ("glossary", {"term": "Acquis de l'expérience", "definition": "Savoirs, savoir-faire et attitudes acquis par une activité professionnelle, bénévole, familiale ou syndicale, hors d'une formation certifiante."}),
                        ("heading", "Pourquoi c'est décisif pour les travailleurs migrants et de retour"),
                        ("paragraph", "<p>Pour qui part, la validation rend ses compétences <b>lisibles</b> par un employeur étranger et limite le risque de <b>déqualification</b>, c'est-à-dire d'occuper un emploi bien en dessous de son niveau réel. Pour qui revient, elle transforme des années de travail à l'étranger en un certificat reconnu dans son pays, utile pour trouver un emploi, créer une entreprise ou reprendre une formation.</p><ul><li>Accès à de meilleurs emplois et salaires, et aux postes pour lesquels une certification est exigée.</li><li>Gain de temps : on ne refait pas une formation complète pour ce que l'on maîtrise déjà.</li><li>Confiance en soi et reconnaissance sociale du parcours migratoire.</li><li>Pour l'employeur : un recrutement plus sûr et une meilleure affectation aux postes.</li><li>Pour les pays : une meilleure utilisation des compétences rapportées par les migrants de retour.</li></ul>"),
                        ("heading", "Les étapes d'une démarche"),
                        ("paragraph", "<ol><li><b>Information et orientation</b> : le conseiller présente le dispositif et vérifie qu'une certification existe pour le métier visé.</li><li><b>Identification</b> : le candidat retrace ses activités et les rapproche du référentiel de la certification.</li><li><b>Recevabilité</b> : l'organisme certificateur vérifie que l'expérience est en rapport avec la certification demandée.</li><li><b>Documentation</b> : constitution du dossier de preuves (attestations, photos, fiches de paie, descriptions d'activités).</li><li><b>Évaluation</b> : entretien, mise en situation ou observation, selon la certification.</li><li><b>Décision du jury et certification</b> : validation totale, partielle ou refus, avec des recommandations.</li></ol><p>La recommandation européenne de 2012 résume ces phases en quatre temps : <i>identification, documentation, évaluation, certification</i>.</p>"),
                        ("callout", {"kind": "warning", "title": "Ne pas promettre le résultat", "text": "<p>Le conseiller ouvre une porte mais ne décide pas. Expliquez dès le départ que le jury est souverain, qu'une validation partielle est fréquente et qu'elle constitue déjà un acquis. Ne laissez pas non plus croire qu'une certification donne à elle seule un droit au séjour ou au travail à l'étranger.</p>"}),
                        ("example", {"title": "Youssef, soudeur marocain de retour d'Espagne", "situation": "<p>Youssef, 34 ans, a travaillé huit ans dans un atelier de charpente métallique près de Valence. Il soude à l'arc et en semi-automatique (MIG/MAG), lit des plans simples et a encadré deux apprentis. Revenu à Tanger, il ne possède qu'une attestation d'emploi en espagnol et quelques photos de ses réalisations. Les entreprises locales lui proposent des postes de manœuvre.</p>", "solution": "<p>La conseillère emploi :</p><ol><li>vérifie qu'une certification de soudeur existe au niveau national et récupère son référentiel ;</li><li>aide Youssef à décrire ses activités avec les verbes du référentiel (préparer, assembler, souder, contrôler) ;</li><li>l'invite à demander à son ancien employeur une attestation détaillée des tâches et à réunir ses fiches de paie ;</li><li>fait traduire les documents clés ;</li><li>l'inscrit à une session d'évaluation avec épreuve pratique en atelier.</li></ol><p>Le jury valide la certification, sauf le bloc « soudage TIG » que Youssef n'a jamais pratiqué. Il le complète par une formation courte et obtient ensuite un poste de soudeur qualifié.</p>"}),
                    ],
                    "quiz": {
                        "title": "Vérification : la validation des acquis",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "Sur quoi repose la décision dans une démarche de validation des acquis ?",
                                "kind": "single",
                                "explanation": "Le jury se prononce sur la démonstration des compétences au regard du référentiel, quels que soient la durée et le lieu de l'expérience.",
                                "choices": [
                                    {"text": "Le nombre d'années d'expérience", "correct": False, "feedback": "Non : la durée ouvre l'accès mais ne prouve pas la compétence."},
                                    {"text": "La démonstration des compétences au regard du référentiel", "correct": True, "feedback": "Exact : c'est le cœur de la démarche."},
                                    {"text": "Le pays où l'expérience a été acquise", "correct": False, "feedback": "Non : une compétence acquise à l'étranger vaut autant qu'une compétence acquise dans le pays."},
                                ],
                            },
                            {
                                "text": "Un certificat obtenu par validation des acquis a moins de valeur qu'un certificat obtenu par la formation.",
                                "kind": "true_false",
                                "explanation": "Le certificat est le même, quelle que soit la voie d'accès : formation, apprentissage ou validation des acquis.",
                                "choices": [
                                    {"text": "Vrai", "correct": False, "feedback": "Non : le certificat et ses exigences sont identiques."},
                                    {"text": "Faux", "correct": True, "feedback": "Exact : même certification, même exigence, même valeur."},
                                ],
                            },
                            {
                                "text": "Quels bénéfices la validation des acquis apporte-t-elle à un travailleur de retour ?",
                                "kind": "multiple",
                                "explanation": "La validation rend visibles des compétences acquises à l'étranger et évite de refaire ce qui est déjà maîtrisé ; elle ne garantit pas un emploi.",
                                "choices": [
                                    {"text": "Faire reconnaître dans son pays des compétences acquises à l'étranger", "correct": True, "feedback": "Oui : c'est l'un des principaux bénéfices."},
                                    {"text": "Éviter de refaire une formation complète pour ce qu'il maîtrise", "correct": True, "feedback": "Oui : il ne se forme que sur ce qui lui manque."},
                                    {"text": "Obtenir automatiquement un emploi", "correct": False, "feedback": "Non : le certificat améliore l'accès à l'emploi sans le garantir."},
                                    {"text": "Réduire le risque de déqualification", "correct": True, "feedback": "Oui : ses compétences deviennent lisibles pour les employeurs."},
                                ],
                            },
                        ],
                    },
                },
                {
                    "title": "Les référentiels de compétences",
                    "slug": "referentiels-de-competences",
                    "summary": "Comment un référentiel est construit, des activités aux critères de performance, et pourquoi les partenaires sociaux doivent y participer.",
                    "minutes": 25,
                    "body": [
                        ("heading", "Le référentiel, colonne vertébrale de la certification"),
                        ("paragraph", "<p>Un <b>référentiel</b> décrit précisément ce qu'un professionnel compétent doit être capable de faire et comment on le vérifie. C'est la référence commune du formateur (ce qu'il enseigne), de l'évaluateur (ce qu'il vérifie), de l'employeur (ce qu'il peut attendre) et du travailleur (ce qu'il doit démontrer). L'approche par compétences part du <b>travail réel</b> observé en entreprise, et non du contenu des programmes scolaires.</p><p>On distingue généralement trois documents liés :</p><ul><li>le <b>référentiel d'activités</b> (ou profil professionnel) : ce que fait le professionnel ;</li><li>le <b>référentiel de compétences</b> : ce qu'il doit savoir mobiliser pour le faire ;</li><li>le <b>référentiel d'évaluation</b> : comment, dans quelles conditions et selon quels critères on vérifie la compétence.</li></ul>"),
                        ("heading", "Des activités aux critères de performance"),
                        ("paragraph", "<ol><li><b>Activité</b> : ensemble cohérent de travail, souvent un « bloc » du métier. Exemple : réaliser le gros œuvre d'un bâtiment.</li><li><b>Tâche</b> : action concrète et observable, avec un début et une fin. Exemple : monter un mur en blocs de béton.</li><li><b>Compétence</b> : capacité à mobiliser savoirs, savoir-faire et attitudes pour réaliser les tâches dans un contexte donné. Elle s'écrit avec un verbe d'action : « Monter des maçonneries en blocs conformément au plan et aux règles de l'art ».</li><li><b>Critères de performance</b> : ce qui permet de dire, de façon observable et mesurable, que la compétence est maîtrisée. Exemple : « le mur est d'aplomb à 5 mm près sur 2 m ».</li><li><b>Conditions de réalisation</b> : matériel, documents, degré d'autonomie, règles de sécurité, durée.</li></ol><p>Pour recueillir ces informations, on utilise l'<b>analyse de situations de travail</b> (ateliers avec des praticiens expérimentés, de type DACUM), l'<b>analyse fonctionnelle</b> et l'observation en entreprise.</p>"),
                        ("glossary", {"term": "Critère de performance", "definition": "Énoncé observable et vérifiable qui précise le niveau de qualité attendu dans la réalisation d'une tâche : résultat, précision, délai, sécurité, respect des procédures."}),
                        ("callout", {"kind": "tip", "title": "Bien rédiger une compétence", "text": "<p>Un verbe d'action observable (monter, préparer, contrôler), un objet (un mur, un repas, un soin) et un contexte (sur chantier, au domicile de la personne). Évitez « connaître » ou « comprendre », qui ne s'observent pas directement.</p>"}),
                        ("heading", "Le rôle des partenaires sociaux"),
                        ("paragraph", "<p>Un référentiel n'est crédible que s'il est reconnu par ceux qui emploient et par ceux qui exercent le métier. Les organisations d'employeurs et les syndicats, souvent réunis avec l'État dans des commissions paritaires ou tripartites, interviennent à chaque étape :</p><ul><li>identifier les métiers prioritaires et les besoins des entreprises ;</li><li>désigner des praticiens pour les ateliers d'analyse du travail ;</li><li>valider le référentiel et ses révisions périodiques ;</li><li>siéger dans les jurys de certification ;</li><li>veiller à ce que la santé et la sécurité au travail et les droits des travailleurs soient intégrés.</li></ul><p>Pour les syndicats, c'est aussi un levier : un référentiel reconnu peut servir de base aux grilles de classification et de salaire des conventions collectives.</p>"),
                        ("example", {"title": "Un référentiel pour les maçons au Mali", "situation": "<p>Le programme souhaite certifier des maçons maliens, dont beaucoup ont appris sur les chantiers de Bamako ou de Côte d'Ivoire. Il n'existe qu'un ancien programme de formation centré sur la théorie. Comment construire un référentiel utilisable pour la validation des acquis ?</p>", "solution": "<ol><li>Une commission réunit la fédération du bâtiment, le syndicat des travailleurs de la construction, le centre de formation et le ministère chargé de la formation professionnelle.</li><li>Un atelier de deux jours rassemble huit maçons expérimentés et deux chefs de chantier, qui décrivent leurs activités réelles.</li><li>Quatre activités sont retenues (préparer le chantier, réaliser les fondations, monter les maçonneries, réaliser les enduits), chacune découpée en tâches.</li><li>Pour chaque compétence, des critères de performance mesurables sont rédigés : aplomb, alignement, dosage des mortiers, port des équipements de protection.</li><li>La commission valide le projet, qui devient la base commune de la formation, de l'évaluation et du jury.</li></ol>"}),
                    ],
                    "quiz": {
                        "title": "Vérification : les référentiels",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "Dans un référentiel, « le mur est d'aplomb à 5 mm près sur 2 m » est :",
                                "kind": "single",
                                "explanation": "C'est un énoncé observable et mesurable qui dit à quoi l'on reconnaît un travail bien fait : un critère de performance.",
                                "choices": [
                                    {"text": "Une activité", "correct": False, "feedback": "Non : une activité est un ensemble de travail plus large."},
                                    {"text": "Une tâche", "correct": False, "feedback": "Non : la tâche serait « monter le mur » ; ici, on décrit le résultat attendu."},
                                    {"text": "Un critère de performance", "correct": True, "feedback": "Exact : il est observable et mesurable."},
                                ],
                            },
                            {
                                "text": "Quels rôles les partenaires sociaux peuvent-ils jouer dans la construction et l'usage d'un référentiel ?",
                                "kind": "multiple",
                                "explanation": "Employeurs et syndicats apportent la connaissance du travail réel, valident le référentiel et participent aux jurys ; ils ne remplacent pas l'organisme certificateur.",
                                "choices": [
                                    {"text": "Désigner des praticiens pour les ateliers d'analyse du travail", "correct": True, "feedback": "Oui : ils connaissent le travail réel."},
                                    {"text": "Valider le référentiel et ses révisions", "correct": True, "feedback": "Oui : c'est ce qui lui donne sa légitimité."},
                                    {"text": "Siéger dans les jurys de certification", "correct": True, "feedback": "Oui : leur présence renforce la crédibilité des décisions."},
                                    {"text": "Délivrer eux-mêmes les certificats à la place de l'organisme certificateur", "correct": False, "feedback": "Non : la délivrance relève de l'organisme certificateur habilité."},
                                ],
                            },
                            {
                                "text": "Un bon référentiel de compétences se construit d'abord à partir du contenu des programmes de formation existants.",
                                "kind": "true_false",
                                "explanation": "L'approche par compétences part de l'analyse du travail réel ; la formation est ensuite construite à partir du référentiel.",
                                "choices": [
                                    {"text": "Vrai", "correct": False, "feedback": "Non : c'est l'inverse, le programme découle du référentiel."},
                                    {"text": "Faux", "correct": True, "feedback": "Exact : on part des activités réellement exercées en entreprise."},
                                ],
                            },
                        ],
                    },
                },
                {
                    "title": "Un répertoire partagé des métiers : du ROME au ROAME",
                    "slug": "repertoire-partage-roame",
                    "summary": "Utiliser un répertoire commun de métiers codés pour comparer offres d'emploi et compétences d'un pays à l'autre.",
                    "minutes": 25,
                    "body": [
                        ("heading", "Parler la même langue des métiers"),
                        ("paragraph", "<p>Un même métier porte des noms différents selon les pays, les régions et les entreprises : « maçon », « maçon coffreur », <i>albañil</i> en Espagne, <i>bennay</i> en darija. À l'inverse, un même intitulé peut recouvrir des réalités différentes. Pour rapprocher une offre d'emploi en Espagne du profil d'un travailleur à Dakar, il faut une <b>nomenclature commune</b> : une liste de métiers décrits et codés, à laquelle on rattache les appellations locales.</p>"),
                        ("heading", "Le ROME, point de départ"),
                        ("paragraph", "<p>Le <b>ROME</b> (Répertoire opérationnel des métiers et des emplois) a été créé par le service public de l'emploi français (ANPE, puis Pôle emploi, aujourd'hui France Travail) pour enregistrer les offres et les demandes d'emploi et les rapprocher. Il est organisé en 14 grands domaines identifiés par une lettre (F pour la construction, H pour l'industrie, J pour la santé, K pour les services à la personne et à la collectivité…) et compte plus de 500 fiches métiers, chacune codée par une lettre et quatre chiffres.</p><p>Chaque fiche regroupe :</p><ul><li>les <b>appellations</b> rattachées, c'est-à-dire les intitulés utilisés dans les offres ;</li><li>une <b>définition</b> et les <b>conditions d'accès</b> (diplômes, habilitations) ;</li><li>les <b>compétences</b> : savoir-faire et savoirs ;</li><li>les <b>contextes de travail</b> : horaires, conditions, types de structures ;</li><li>les <b>mobilités</b> possibles vers des métiers proches.</li></ul><p>Exemples de codes : F1703 Maçonnerie ; H2913 Soudage manuel ; K1302 Assistance auprès d'adultes.</p>"),
                        ("heading", "Le ROAME, adaptation propre au programme"),
                        ("paragraph", "<p>Pour ses pays partenaires du Maghreb et d'Afrique de l'Ouest, le programme a adapté le ROME en un répertoire partagé appelé <b>ROAME</b>. Ce n'est pas une norme internationale officielle : c'est un <b>outil de travail commun</b> aux services de l'emploi, aux centres de formation et aux partenaires sociaux du programme. L'adaptation consiste à :</p><ul><li>conserver la structure de codes du ROME, afin que chaque fiche ROAME renvoie à sa fiche ROME d'origine ;</li><li>ajouter les <b>appellations locales</b>, en français, en arabe, en darija et dans les langues nationales ;</li><li>fusionner ou retirer les fiches sans réalité locale, et ajouter des métiers propres aux pays partenaires, notamment dans l'artisanat et l'agriculture ;</li><li>indiquer pour chaque fiche les <b>certifications nationales</b> correspondantes dans chaque pays ;</li><li>établir une correspondance avec la classification internationale de l'OIT (CITP-08) et, pour les pays de l'Union européenne, avec la classification ESCO.</li></ul><p>Coder chaque offre et chaque profil avec un code ROAME permet de comparer, fiche à fiche, les compétences demandées et les compétences détenues, puis de repérer les écarts à combler par la formation ou la validation des acquis.</p>"),
                        ("glossary", {"term": "CITP-08 (ISCO-08)", "definition": "Classification internationale type des professions de l'OIT, version 2008. Elle sert de référence statistique internationale ; par exemple, le groupe 7212 correspond aux soudeurs et oxycoupeurs et le groupe 7112 aux maçons."}),
                        ("callout", {"kind": "warning", "title": "Un code commun ne vaut pas autorisation d'exercer", "text": "<p>Deux fiches portant le même code décrivent un métier comparable, pas un droit d'exercer. Pour les <b>professions réglementées</b> (aide-soignant en France, électricien habilité, conducteur de poids lourd…), le pays d'accueil exige une reconnaissance officielle de la qualification ou un titre national. Vérifiez toujours les conditions d'accès indiquées pour le pays de destination.</p>"}),
                        ("example", {"title": "Rapprocher une offre espagnole et un maçon malien", "situation": "<p>Une entreprise de construction de Murcie publie une offre d'<i>oficial de primera albañil</i> dans le cadre d'un programme de recrutement. Au service de l'emploi de Bamako, Moussa, 41 ans, est inscrit comme « maçon » avec quinze ans d'expérience sur des chantiers de bâtiment.</p>", "solution": "<ol><li>Le conseiller code l'offre : l'appellation espagnole est rattachée à la fiche ROAME F1703 Maçonnerie.</li><li>Le profil de Moussa porte le même code.</li><li>Le conseiller compare les compétences : l'offre demande la pose de briques et de blocs et la réalisation d'enduits, que Moussa maîtrise, ainsi que la lecture de plans et le travail sur échafaudage avec une formation à la prévention, qu'il ne possède pas.</li><li>Il présente la candidature de Moussa et lui propose un module de prévention avant le départ.</li><li>Les écarts sont notés dans son dossier pour préparer une future validation des acquis.</li></ol>"}),
                    ],
                    "quiz": {
                        "title": "Vérification : le répertoire partagé",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "À quoi sert principalement le codage des métiers dans un répertoire partagé ?",
                                "kind": "single",
                                "explanation": "Le code commun relie des appellations différentes à une même description de métier, ce qui permet de comparer offres et profils entre pays.",
                                "choices": [
                                    {"text": "Fixer les salaires dans tous les pays partenaires", "correct": False, "feedback": "Non : les salaires relèvent de la loi, des conventions collectives et du contrat."},
                                    {"text": "Rapprocher offres d'emploi et profils de compétences malgré des intitulés différents", "correct": True, "feedback": "Exact : c'est la fonction première du répertoire."},
                                    {"text": "Délivrer un certificat professionnel", "correct": False, "feedback": "Non : un répertoire décrit des métiers, il ne certifie personne."},
                                ],
                            },
                            {
                                "text": "Le ROAME est une norme internationale officielle adoptée par l'OIT.",
                                "kind": "true_false",
                                "explanation": "Le ROAME est l'adaptation du ROME réalisée par le programme pour ses pays partenaires ; la classification internationale de l'OIT est la CITP-08.",
                                "choices": [
                                    {"text": "Vrai", "correct": False, "feedback": "Non : c'est un outil de travail commun au programme."},
                                    {"text": "Faux", "correct": True, "feedback": "Exact : il s'agit de l'adaptation propre au programme, mise en correspondance avec la CITP-08."},
                                ],
                            },
                            {
                                "text": "Que contient une fiche métier du ROME ?",
                                "kind": "multiple",
                                "explanation": "Une fiche décrit le métier (appellations, définition, accès, compétences, contextes, mobilités) ; elle ne fixe pas de salaire.",
                                "choices": [
                                    {"text": "Les appellations rattachées", "correct": True, "feedback": "Oui : ce sont les intitulés utilisés dans les offres."},
                                    {"text": "Les compétences : savoir-faire et savoirs", "correct": True, "feedback": "Oui : elles permettent la comparaison fine."},
                                    {"text": "Les contextes de travail", "correct": True, "feedback": "Oui : horaires, conditions et types de structures."},
                                    {"text": "Le salaire minimum légal du métier", "correct": False, "feedback": "Non : la fiche ne contient pas de salaire."},
                                ],
                            },
                        ],
                    },
                },
                {
                    "title": "Évaluation et preuves",
                    "slug": "evaluation-et-preuves",
                    "summary": "Choisir les méthodes d'évaluation et juger la qualité des preuves : validité, fiabilité, équité, suffisance et actualité.",
                    "minutes": 30,
                    "body": [
                        ("heading", "Évaluer, c'est réunir des preuves"),
                        ("paragraph", "<p>Dans l'approche par compétences, l'évaluateur ne note pas une copie : il réunit des <b>preuves</b> suffisantes pour juger si le candidat atteint les critères de performance du référentiel. La conclusion est « compétent » ou « pas encore compétent » pour chaque bloc.</p><p>Principales méthodes :</p><ul><li><b>Observation directe</b> au poste de travail : la preuve la plus forte pour les gestes professionnels.</li><li><b>Mise en situation ou simulation</b> en atelier ou sur plateau technique, quand l'observation réelle est impossible, dangereuse ou intrusive.</li><li><b>Portfolio</b> : attestations, photos et vidéos datées, documents produits, fiches de paie.</li><li><b>Entretien technique</b> : pour vérifier les savoirs, le raisonnement et ce qui a été fait ailleurs.</li><li><b>Témoignage de tiers</b> : attestation détaillée d'un employeur, d'un chef d'équipe ou d'un client.</li></ul><p>Combiner plusieurs méthodes (la <b>triangulation</b>) renforce la décision.</p>"),
                        ("heading", "Les qualités d'une bonne preuve"),
                        ("paragraph", "<ul><li><b>Validité</b> : la preuve porte bien sur la compétence visée et sur les critères du référentiel : un questionnaire écrit ne prouve pas que l'on sait souder.</li><li><b>Fiabilité</b> : deux évaluateurs, ou le même à deux moments, arriveraient à la même conclusion. Des grilles et des consignes communes y contribuent.</li><li><b>Équité</b> : le candidat n'est ni avantagé ni désavantagé par des éléments sans rapport avec la compétence (langue, écrit, handicap, sexe, origine).</li><li><b>Suffisance</b> : les preuves sont assez nombreuses et variées pour couvrir tous les critères.</li><li><b>Actualité</b> : la compétence est toujours maîtrisée aujourd'hui, au regard des techniques et des normes actuelles.</li><li><b>Authenticité</b> : la preuve est bien le travail du candidat.</li></ul>"),
                        ("glossary", {"term": "Portfolio", "definition": "Dossier organisé par le candidat qui rassemble et commente ses preuves de compétences, classées selon les activités du référentiel."}),
                        ("callout", {"kind": "key_point", "title": "Adapter les modalités, pas le niveau", "text": "<p>Un candidat qui maîtrise mal l'écrit peut présenter ses preuves à l'oral, avec un interprète ou par la démonstration. L'équité consiste à lever les obstacles sans rapport avec le métier, jamais à abaisser les critères de performance.</p>"}),
                        ("callout", {"kind": "tip", "title": "Garder ses preuves pendant l'emploi à l'étranger", "text": "<p>Le meilleur moment pour réunir des preuves, c'est <i>pendant</i> l'emploi. Dès le départ, conseillez aux travailleurs de conserver contrats, fiches de paie, attestations de formation et photos datées de leurs réalisations, et de demander une attestation détaillée des tâches avant de quitter leur employeur.</p>"}),
                        ("example", {"title": "Afiavi, aide à domicile béninoise", "situation": "<p>Afiavi, 29 ans, a travaillé cinq ans auprès de personnes âgées, dans une clinique privée puis dans un service d'aide à domicile à Cotonou. Elle vise la certification d'auxiliaire de vie avant de postuler dans le cadre d'un programme de mobilité. Son dossier contient : une attestation de la clinique, une lettre d'une famille, des photos sans date et un certificat de secourisme obtenu en 2016.</p>", "solution": "<ul><li>L'attestation de la clinique, sur papier à en-tête, signée et détaillant les tâches, est <b>valide</b> et <b>authentique</b>.</li><li>La lettre de la famille décrit l'aide aux repas et à la toilette ; elle sera confirmée en entretien.</li><li>Les photos sans date ni contexte ne sont pas retenues.</li><li>Le certificat de secourisme de 2016 n'est plus <b>actuel</b> : Afiavi suivra un recyclage.</li><li>Pour assurer la <b>suffisance</b>, l'évaluatrice organise une mise en situation sur plateau technique (aide à la toilette sur mannequin, transfert du lit au fauteuil, prévention des chutes) plutôt qu'une observation au domicile d'une personne, pour respecter son intimité.</li><li>L'entretien se déroule en fon avec un interprète, puis en français : c'est l'<b>équité</b>. Deux évaluateurs utilisent la même grille : c'est la <b>fiabilité</b>.</li></ul>"}),
                    ],
                    "quiz": {
                        "title": "Vérification : évaluation et preuves",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "Une attestation d'employeur vieille de dix ans, portant sur des techniques qui ont beaucoup évolué, pose surtout un problème :",
                                "kind": "single",
                                "explanation": "L'actualité vérifie que la compétence est toujours maîtrisée aujourd'hui, selon les techniques et normes en vigueur.",
                                "choices": [
                                    {"text": "de validité", "correct": False, "feedback": "Pas principalement : l'attestation peut bien porter sur la compétence visée."},
                                    {"text": "d'actualité", "correct": True, "feedback": "Exact : il faut vérifier que la compétence est encore à jour."},
                                    {"text": "d'équité", "correct": False, "feedback": "Non : l'équité concerne la manière d'évaluer le candidat."},
                                ],
                            },
                            {
                                "text": "Quelles méthodes peuvent fournir des preuves dans une démarche de validation des acquis ?",
                                "kind": "multiple",
                                "explanation": "Observation, simulation et portfolio produisent des preuves ; l'ancienneté seule n'en est pas une.",
                                "choices": [
                                    {"text": "L'observation directe au poste de travail", "correct": True, "feedback": "Oui : c'est la preuve la plus directe."},
                                    {"text": "La mise en situation ou simulation", "correct": True, "feedback": "Oui : utile quand l'observation réelle est impossible."},
                                    {"text": "Le portfolio", "correct": True, "feedback": "Oui : à condition que les pièces soient authentiques et datées."},
                                    {"text": "Le seul nombre d'années d'ancienneté", "correct": False, "feedback": "Non : l'ancienneté ouvre l'accès mais ne prouve pas la compétence."},
                                ],
                            },
                            {
                                "text": "Pour être équitable, on peut abaisser les critères de performance pour un candidat qui maîtrise mal l'écrit.",
                                "kind": "true_false",
                                "explanation": "On adapte les modalités (oral, interprète, démonstration), jamais le niveau exigé.",
                                "choices": [
                                    {"text": "Vrai", "correct": False, "feedback": "Non : cela retirerait sa valeur au certificat."},
                                    {"text": "Faux", "correct": True, "feedback": "Exact : on lève les obstacles sans rapport avec le métier, sans baisser l'exigence."},
                                ],
                            },
                        ],
                    },
                },
                {
                    "title": "Le processus de certification",
                    "slug": "processus-de-certification",
                    "summary": "De la demande au certificat : jury, certification partielle, assurance qualité, reconnaissance entre pays et certificats numériques vérifiables.",
                    "minutes": 30,
                    "body": [
                        ("heading", "De la demande au certificat"),
                        ("paragraph", "<ol><li><b>Demande et recevabilité</b> : le candidat dépose une demande ; l'organisme certificateur vérifie le lien entre son expérience et la certification visée.</li><li><b>Accompagnement</b> (recommandé) : aide à la rédaction du dossier et à la préparation de l'évaluation.</li><li><b>Évaluation</b> : étude du dossier, mise en situation, entretien, selon le référentiel d'évaluation.</li><li><b>Jury</b> : composé de formateurs et de professionnels du métier, représentants des employeurs et des salariés, il délibère sur la base des preuves et des comptes rendus des évaluateurs.</li><li><b>Décision</b> : validation totale, partielle ou refus, toujours motivée par écrit.</li><li><b>Délivrance du certificat</b> et inscription dans le registre de l'organisme certificateur.</li><li><b>Recours</b> : le candidat peut contester la décision selon une procédure connue à l'avance.</li></ol>"),
                        ("heading", "La certification partielle"),
                        ("paragraph", "<p>Lorsque la certification est découpée en <b>blocs de compétences</b>, le jury peut n'en valider qu'une partie. Le candidat reçoit une attestation des blocs acquis et des <b>préconisations</b> pour obtenir le reste : formation courte, nouvelle expérience, nouvelle évaluation. Dans de nombreux systèmes, les blocs validés restent acquis. Une validation partielle n'est pas un échec : c'est une étape du parcours.</p>"),
                        ("glossary", {"term": "Bloc de compétences", "definition": "Ensemble homogène et cohérent de compétences d'une certification, qui peut être évalué et validé séparément."}),
                        ("heading", "Garantir la confiance"),
                        ("paragraph", "<p><b>Assurance qualité.</b> La confiance dans un certificat repose sur des règles vérifiables : organismes et centres d'évaluation habilités, évaluateurs formés, grilles communes, double correction ou contrôle d'un échantillon de dossiers, jurys sans conflit d'intérêts, procédure de recours, suivi des résultats par sexe, âge et nationalité pour repérer d'éventuels biais. Le cadre européen EQAVET propose des indicateurs de référence.</p><p><b>Reconnaissance mutuelle.</b> Un certificat n'est pas automatiquement reconnu dans un autre pays. La reconnaissance passe par des <b>accords</b> bilatéraux ou régionaux, par la comparaison des référentiels (d'où l'intérêt d'un répertoire commun comme le ROAME) et par le positionnement des certifications dans des <b>cadres nationaux de certification</b>, eux-mêmes rapprochés de cadres régionaux comme le Cadre européen des certifications (CEC) ou le Cadre continental africain des certifications (ACQF). Ces cadres facilitent la lecture des niveaux sans remplacer la décision de reconnaissance.</p><p><b>Certificats numériques vérifiables.</b> Un certificat numérique signé, par exemple au format Open Badges 3.0 ou Europass Digital Credentials, indique l'émetteur, le titulaire, la certification, les blocs acquis et la date. Un employeur peut en vérifier l'authenticité en ligne en quelques secondes, sans contacter l'organisme, ce qui limite la fraude et aide les travailleurs qui ont perdu leurs documents.</p>"),
                        ("callout", {"kind": "warning", "title": "Protéger les données du titulaire", "text": "<p>Un certificat vérifiable ne contient que les informations nécessaires. Le titulaire décide avec qui il le partage ; les données sensibles, comme le statut migratoire ou l'état de santé, n'y figurent jamais.</p>"}),
                        ("example", {"title": "Moussa obtient sa certification en deux temps", "situation": "<p>Moussa, maçon malien, a déposé une demande de validation pour le certificat de maçon, composé de quatre blocs : préparer le chantier, réaliser les fondations, monter les maçonneries, réaliser les enduits. Après l'évaluation, le jury constate qu'il maîtrise les trois derniers blocs, mais qu'il ne sait ni lire un plan d'implantation ni appliquer les règles de prévention du chantier.</p>", "solution": "<ol><li>Le jury prononce une <b>validation partielle</b> des trois blocs, motivée par écrit, et préconise un module de 60 heures sur la lecture de plans et la prévention.</li><li>Moussa suit le module au centre de formation et se présente, quatre mois plus tard, à l'évaluation du bloc manquant.</li><li>Il obtient la certification complète, délivrée sur papier et sous forme de certificat numérique signé.</li><li>Recruté par l'entreprise de Murcie, il transmet le lien de vérification. Le service des ressources humaines confirme en ligne l'authenticité et le détail des blocs, et s'appuie sur la fiche ROAME et le référentiel pour le positionner dans la grille de classification.</li></ol>"}),
                    ],
                    "quiz": {
                        "title": "Vérification : le processus de certification",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "Que se passe-t-il lorsqu'un jury ne valide que certains blocs de compétences ?",
                                "kind": "single",
                                "explanation": "La validation partielle atteste les blocs acquis et oriente le candidat vers ce qui lui manque.",
                                "choices": [
                                    {"text": "Le candidat doit recommencer toute la démarche", "correct": False, "feedback": "Non : les blocs validés ne sont pas perdus."},
                                    {"text": "Les blocs acquis sont attestés et le jury préconise un parcours pour obtenir les autres", "correct": True, "feedback": "Exact : c'est une étape du parcours, pas un échec."},
                                    {"text": "Le candidat reçoit quand même le certificat complet", "correct": False, "feedback": "Non : le certificat complet exige la validation de tous les blocs."},
                                ],
                            },
                            {
                                "text": "Quels éléments contribuent à l'assurance qualité d'une certification ?",
                                "kind": "multiple",
                                "explanation": "La qualité repose sur des évaluateurs formés, des outils communs, l'impartialité des jurys et la possibilité de recours.",
                                "choices": [
                                    {"text": "Des évaluateurs formés et des grilles communes", "correct": True, "feedback": "Oui : ils garantissent la fiabilité."},
                                    {"text": "Une procédure de recours connue à l'avance", "correct": True, "feedback": "Oui : elle protège les candidats."},
                                    {"text": "Des jurys sans conflit d'intérêts", "correct": True, "feedback": "Oui : l'impartialité est indispensable."},
                                    {"text": "Un jury composé uniquement des formateurs qui ont accompagné le candidat", "correct": False, "feedback": "Non : ce serait un conflit d'intérêts, et il manquerait les professionnels du métier."},
                                ],
                            },
                            {
                                "text": "Un certificat numérique vérifiable permet à un employeur d'en contrôler l'authenticité en ligne sans contacter l'organisme émetteur.",
                                "kind": "true_false",
                                "explanation": "La signature numérique de l'émetteur peut être vérifiée directement, ce qui limite la fraude et facilite la mobilité.",
                                "choices": [
                                    {"text": "Vrai", "correct": True, "feedback": "Exact : c'est son principal intérêt."},
                                    {"text": "Faux", "correct": False, "feedback": "Non : la vérification est possible sans démarche auprès de l'organisme."},
                                ],
                            },
                        ],
                    },
                },
            ],
        },
        # EN translation
        "en": {
            "title": "Skills certification",
            "slug": "skills-certification",
            "summary": "Recognising, assessing and certifying the skills of migrant and returning workers: recognition of prior learning, competency standards, a shared occupations repertoire, assessment and certificates recognised across countries.",
            "objectives": [
                "Explain the principles and stages of recognition of prior learning (RPL) and its benefits for migrant and returning workers.",
                "Read a competency standard and contribute to building one: activities, tasks, competencies, performance criteria.",
                "Use the shared ROAME repertoire to code an occupation and compare job offers and profiles across countries.",
                "Choose suitable assessment methods and judge the quality of evidence.",
                "Guide a candidate from application to certificate, including partial certification and digital verification.",
            ],
            "prerequisites": "No formal prerequisites. Experience in guidance, training, recruitment or social dialogue is useful.",
            "competencies": [
                "Inform and guide a worker towards recognition of prior learning",
                "Analyse a competency standard and its performance criteria",
                "Code an occupation in the ROAME repertoire and match job offers and profiles",
                "Design or review an evidence-based assessment",
                "Explain the certification process, partial certification and certificate verification",
            ],
            "pre_test": {
                "title": "Placement test",
                "pass_mark": 0,
                "max_attempts": 1,
                "questions": [
                    {
                        "text": "What does VAE stand for in French-speaking systems?",
                        "kind": "single",
                        "explanation": "VAE is the French term for recognition of prior learning: obtaining all or part of a qualification through skills gained by experience.",
                        "choices": [
                            {"text": "Validation of learning from experience (recognition of prior learning)", "correct": True, "feedback": "Correct: it is the French name for RPL."},
                            {"text": "Administrative verification of employment", "correct": False, "feedback": "No: it is not an administrative check but a recognition of skills."},
                            {"text": "Employment access visa", "correct": False, "feedback": "No: VAE gives no right of residence or work; it certifies skills."},
                        ],
                    },
                    {
                        "text": "You must hold a diploma before you can apply for recognition of prior learning.",
                        "kind": "true_false",
                        "explanation": "RPL is designed precisely for people who learned through experience, with or without a diploma.",
                        "choices": [
                            {"text": "True", "correct": False, "feedback": "No: experience related to the target qualification is enough to apply."},
                            {"text": "False", "correct": True, "feedback": "Correct: no prior diploma is required."},
                        ],
                    },
                    {
                        "text": "In a competency standard, what is a performance criterion?",
                        "kind": "single",
                        "explanation": "A performance criterion states, in observable terms, how you recognise that a task has been done well.",
                        "choices": [
                            {"text": "The job title", "correct": False, "feedback": "No: a title names the occupation without saying what is expected."},
                            {"text": "An observable statement of the expected level of quality", "correct": True, "feedback": "Correct: for example a tolerance, a time limit or a safety rule."},
                            {"text": "The length of the training course", "correct": False, "feedback": "No: duration concerns the training programme, not the assessment of competence."},
                        ],
                    },
                    {
                        "text": "What is a coded occupations repertoire such as the French ROME used for?",
                        "kind": "single",
                        "explanation": "A coded repertoire provides a common reference to describe occupations and match job offers with jobseekers.",
                        "choices": [
                            {"text": "Matching job offers with jobseekers' profiles", "correct": True, "feedback": "Correct: this is its main purpose in employment services."},
                            {"text": "Calculating social security contributions", "correct": False, "feedback": "No: the repertoire describes occupations; it has no tax or social security function."},
                            {"text": "Awarding diplomas", "correct": False, "feedback": "No: only awarding bodies issue qualifications."},
                        ],
                    },
                    {
                        "text": "Which of these methods can be used to assess practical skills?",
                        "kind": "multiple",
                        "explanation": "Practical skills are assessed by observing work, by simulation and by examining documented work.",
                        "choices": [
                            {"text": "Direct observation in the workplace", "correct": True, "feedback": "Yes: it is the most direct evidence of occupational skills."},
                            {"text": "A simulation or practical exercise", "correct": True, "feedback": "Yes: it reproduces realistic working conditions."},
                            {"text": "A general knowledge quiz", "correct": False, "feedback": "No: it says nothing about mastery of the trade."},
                            {"text": "A portfolio of documented work", "correct": True, "feedback": "Yes: dated and attested evidence shows the work actually done."},
                        ],
                    },
                    {
                        "text": "A qualification obtained in one country is automatically recognised in all other countries.",
                        "kind": "true_false",
                        "explanation": "Recognition between countries requires agreements, comparison of standards and, for regulated occupations, a decision by the competent authority.",
                        "choices": [
                            {"text": "True", "correct": False, "feedback": "No: there is no automatic, universal recognition."},
                            {"text": "False", "correct": True, "feedback": "Correct: recognition is built through agreements and procedures."},
                        ],
                    },
                ],
            },
            "final_assessment": {
                "title": "Final assessment",
                "pass_mark": 70,
                "max_attempts": 3,
                "questions": [
                    {
                        "text": "What principle underpins recognition of prior learning?",
                        "kind": "single",
                        "explanation": "Experience gives access to the process, but the decision rests on demonstrating the competencies in the standard.",
                        "choices": [
                            {"text": "Demonstrated competencies are certified, not years of experience", "correct": True, "feedback": "Correct: length of service alone is never enough."},
                            {"text": "Length of service in a company is certified", "correct": False, "feedback": "No: ten years in a job do not prove mastery of every competency in the standard."},
                            {"text": "Attendance at a training course is certified", "correct": False, "feedback": "No: RPL does not depend on attending training."},
                        ],
                    },
                    {
                        "text": "Which steps are part of a recognition of prior learning process?",
                        "kind": "multiple",
                        "explanation": "The main phases are identification, documentation, assessment and certification; the panel rules on competencies, never on migration status.",
                        "choices": [
                            {"text": "Identifying competencies against the standard", "correct": True, "feedback": "Yes: the candidate maps their activities to those in the standard."},
                            {"text": "Documenting them in a portfolio of evidence", "correct": True, "feedback": "Yes: attestations, work samples and payslips support the application."},
                            {"text": "Assessment through interview or practical exercise", "correct": True, "feedback": "Yes: assessment enables the panel to reach a decision."},
                            {"text": "The panel checking the candidate's residence permit", "correct": False, "feedback": "No: the panel assesses competencies; migration status has no place in its decision."},
                        ],
                    },
                    {
                        "text": "In a standard for masons, 'build a concrete block wall' is best described as:",
                        "kind": "single",
                        "explanation": "A task is a concrete, observable action with a beginning and an end; it sits within a broader activity.",
                        "choices": [
                            {"text": "An activity", "correct": False, "feedback": "No: an activity is broader, for example 'carry out structural work'."},
                            {"text": "A task", "correct": True, "feedback": "Correct: it is a concrete, observable action."},
                            {"text": "A performance criterion", "correct": False, "feedback": "No: the criterion would say, for example, 'the wall is plumb within 5 mm over 2 m'."},
                        ],
                    },
                    {
                        "text": "Employers' and workers' organisations should take part in developing and validating competency standards.",
                        "kind": "true_false",
                        "explanation": "Involving the social partners ensures the standard reflects real work and is recognised in the labour market.",
                        "choices": [
                            {"text": "True", "correct": True, "feedback": "Correct: their involvement gives the standard credibility and relevance."},
                            {"text": "False", "correct": False, "feedback": "No: a standard written without practitioners may not be recognised by employers."},
                        ],
                    },
                    {
                        "text": "A counsellor in Casablanca wants to match an Italian job offer for a 'saldatore' with a candidate registered as a 'soudeur' (welder). Which tool allows a reliable match?",
                        "kind": "single",
                        "explanation": "The repertoire links job titles from different countries to one coded entry, to compare required and held competencies.",
                        "choices": [
                            {"text": "The shared ROAME code to which both job titles are linked", "correct": True, "feedback": "Correct: the common code then allows a detailed comparison of competencies."},
                            {"text": "A machine translation of the job title", "correct": False, "feedback": "No: a translation says nothing about the actual content of the job or the competencies required."},
                            {"text": "The salary offered", "correct": False, "feedback": "No: pay does not identify an occupation."},
                        ],
                    },
                    {
                        "text": "If a job offer and a profile share the same ROAME code, the candidate may practise freely in the destination country, even in a regulated occupation.",
                        "kind": "true_false",
                        "explanation": "A shared code signals a comparable occupation. For a regulated occupation, the host country requires official recognition of the qualification.",
                        "choices": [
                            {"text": "True", "correct": False, "feedback": "No: a code is not a licence to practise."},
                            {"text": "False", "correct": True, "feedback": "Correct: always check the entry requirements in the destination country."},
                        ],
                    },
                    {
                        "text": "A candidate presents only undated photos of her work, with no attestation. Which qualities of evidence are in question?",
                        "kind": "multiple",
                        "explanation": "We know neither who did the work, nor when, nor whether all criteria are covered.",
                        "choices": [
                            {"text": "Authenticity", "correct": True, "feedback": "Yes: nothing proves the candidate did the work."},
                            {"text": "Currency", "correct": True, "feedback": "Yes: without a date, we cannot tell whether the skill is recent."},
                            {"text": "Sufficiency", "correct": True, "feedback": "Yes: a few photos do not cover all the criteria in the standard."},
                            {"text": "Fairness", "correct": False, "feedback": "No: fairness concerns how the candidate is assessed, not the quality of one piece of evidence."},
                        ],
                    },
                    {
                        "text": "To assess a care-worker candidate's personal hygiene assistance skills while respecting people's privacy, the most suitable method is:",
                        "kind": "single",
                        "explanation": "Simulation in a training workshop makes the actual skills observable without exposing a vulnerable person.",
                        "choices": [
                            {"text": "A simulation in a training workshop, using a mannequin", "correct": True, "feedback": "Correct: the skills are observable and people's privacy is respected."},
                            {"text": "A written multiple-choice questionnaire", "correct": False, "feedback": "No: it checks knowledge, not practical skills."},
                            {"text": "The length of service shown on the CV", "correct": False, "feedback": "No: length of service is not evidence of competence."},
                        ],
                    },
                    {
                        "text": "Two assessors use the same grid and reach the same decision about a candidate. Which quality of assessment does this strengthen?",
                        "kind": "single",
                        "explanation": "Reliability means that another person, or another occasion, would lead to the same result.",
                        "choices": [
                            {"text": "Reliability", "correct": True, "feedback": "Correct: the decision does not depend on the assessor."},
                            {"text": "Currency", "correct": False, "feedback": "No: currency concerns how recent the competencies are."},
                            {"text": "Sufficiency", "correct": False, "feedback": "No: sufficiency concerns the amount and coverage of evidence."},
                        ],
                    },
                    {
                        "text": "What information can a verifiable digital certificate contain?",
                        "kind": "multiple",
                        "explanation": "The certificate holds only what is needed: issuer, holder, qualification, units achieved, date. Sensitive data are excluded.",
                        "choices": [
                            {"text": "The issuing body", "correct": True, "feedback": "Yes: this is what allows the signature to be verified."},
                            {"text": "The qualification and the competency units achieved", "correct": True, "feedback": "Yes: the employer knows exactly what was validated."},
                            {"text": "The date of issue", "correct": True, "feedback": "Yes: it places the qualification in time."},
                            {"text": "The holder's migration status", "correct": False, "feedback": "No: this is sensitive data unrelated to competencies."},
                        ],
                    },
                ],
            },
            "lessons": [
                {
                    "title": "Recognition of prior learning",
                    "slug": "recognition-of-prior-learning",
                    "summary": "What recognition of prior learning is, why it matters for migrant and returning workers, and the main stages of the process.",
                    "minutes": 25,
                    "body": [
                        ("heading", "Recognising what people can already do"),
                        ("paragraph", "<p>Many workers learned their trade on the job: in a family workshop, on a building site, in employment abroad. They are competent but have no diploma to prove it. <b>Recognition of prior learning</b> (RPL) allows them to obtain all or part of an official qualification based on what they can actually do, wherever and however they learned it. In France the scheme is called <b>validation des acquis de l'expérience</b> (VAE).</p><p>ILO Recommendation No. 195 on Human Resources Development (2004) calls on states to recognise skills, including those acquired informally. In 2012 the European Union adopted a Council Recommendation on the validation of non-formal and informal learning.</p><p>A few principles guide any sound RPL process:</p><ul><li><b>Competencies are certified, not years</b>: experience gives access, but only demonstrated competence counts.</li><li><b>Same qualification, same standard</b>: a certificate obtained through RPL has the same value as one obtained through training.</li><li><b>Voluntary and confidential</b>: the person chooses to take part and their data are protected.</li><li><b>Equal treatment</b>: no discrimination based on nationality, sex, migration status or language.</li><li><b>Guidance</b>: a counsellor helps the candidate describe their experience and gather evidence.</li></ul>"),
                        ("glossary", {"term": "Prior learning", "definition": "Knowledge, skills and attitudes gained through paid work, volunteering, family or trade-union activity, outside accredited training."}),
                        ("heading", "Why it matters for migrant and returning workers"),
                        ("paragraph", "<p>For those leaving, RPL makes their skills <b>readable</b> to a foreign employer and reduces the risk of <b>deskilling</b>, that is, working in a job well below their real level. For returnees, it turns years of work abroad into a qualification recognised at home, useful for finding a job, starting a business or returning to training.</p><ul><li>Access to better jobs and pay, and to posts for which a qualification is required.</li><li>Time saved: no need to repeat a full course for what one already masters.</li><li>Self-confidence and social recognition of the migration experience.</li><li>For employers: safer recruitment and better job placement.</li><li>For countries: better use of the skills brought back by returning migrants.</li></ul>"),
                        ("heading", "Stages of the process"),
                        ("paragraph", "<ol><li><b>Information and guidance</b>: the counsellor presents the scheme and checks that a qualification exists for the target occupation.</li><li><b>Identification</b>: the candidate reviews their activities and maps them to the qualification standard.</li><li><b>Eligibility</b>: the awarding body checks that the experience is related to the qualification sought.</li><li><b>Documentation</b>: building the portfolio of evidence (attestations, photos, payslips, descriptions of activities).</li><li><b>Assessment</b>: interview, practical exercise or observation, depending on the qualification.</li><li><b>Panel decision and certification</b>: full or partial validation, or refusal, with recommendations.</li></ol><p>The 2012 European Recommendation sums these up in four phases: <i>identification, documentation, assessment, certification</i>.</p>"),
                        ("callout", {"kind": "warning", "title": "Do not promise the outcome", "text": "<p>The counsellor opens a door but does not decide. Explain from the start that the panel's decision is final, that partial validation is common and that it is already an achievement. Never suggest that a qualification alone gives a right to reside or work abroad.</p>"}),
                        ("example", {"title": "Youssef, a Moroccan welder back from Spain", "situation": "<p>Youssef, 34, worked for eight years in a structural steel workshop near Valencia. He does arc and semi-automatic (MIG/MAG) welding, reads simple drawings and has supervised two apprentices. Back in Tangier, he has only an employment certificate in Spanish and a few photos of his work. Local firms offer him labourer jobs.</p>", "solution": "<p>The employment counsellor:</p><ol><li>checks that a national welder qualification exists and obtains its standard;</li><li>helps Youssef describe his activities using the verbs in the standard (prepare, assemble, weld, inspect);</li><li>asks him to request a detailed task attestation from his former employer and to gather his payslips;</li><li>has the key documents translated;</li><li>registers him for an assessment session with a practical test in a workshop.</li></ol><p>The panel awards the qualification except for the 'TIG welding' unit, which Youssef has never practised. He completes it with a short course and then gets a job as a qualified welder.</p>"}),
                    ],
                    "quiz": {
                        "title": "Check: recognition of prior learning",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "What is the decision based on in a recognition of prior learning process?",
                                "kind": "single",
                                "explanation": "The panel rules on the demonstration of competencies against the standard, regardless of how long or where the experience was gained.",
                                "choices": [
                                    {"text": "The number of years of experience", "correct": False, "feedback": "No: length of experience gives access but does not prove competence."},
                                    {"text": "Demonstration of competencies against the standard", "correct": True, "feedback": "Correct: this is the heart of the process."},
                                    {"text": "The country where the experience was gained", "correct": False, "feedback": "No: a skill acquired abroad is worth as much as one acquired at home."},
                                ],
                            },
                            {
                                "text": "A qualification obtained through RPL is worth less than one obtained through training.",
                                "kind": "true_false",
                                "explanation": "The qualification is the same whatever the route: training, apprenticeship or RPL.",
                                "choices": [
                                    {"text": "True", "correct": False, "feedback": "No: the qualification and its requirements are identical."},
                                    {"text": "False", "correct": True, "feedback": "Correct: same qualification, same standard, same value."},
                                ],
                            },
                            {
                                "text": "What benefits does RPL bring to a returning worker?",
                                "kind": "multiple",
                                "explanation": "RPL makes skills acquired abroad visible and avoids repeating what is already mastered; it does not guarantee a job.",
                                "choices": [
                                    {"text": "Getting skills acquired abroad recognised at home", "correct": True, "feedback": "Yes: this is one of the main benefits."},
                                    {"text": "Avoiding a full course for what they already master", "correct": True, "feedback": "Yes: they only train for what is missing."},
                                    {"text": "Automatically getting a job", "correct": False, "feedback": "No: the qualification improves access to work without guaranteeing it."},
                                    {"text": "Reducing the risk of deskilling", "correct": True, "feedback": "Yes: their skills become readable to employers."},
                                ],
                            },
                        ],
                    },
                },
                {
                    "title": "Competency standards",
                    "slug": "competency-standards",
                    "summary": "How a standard is built, from activities to performance criteria, and why the social partners must be involved.",
                    "minutes": 25,
                    "body": [
                        ("heading", "The standard, backbone of certification"),
                        ("paragraph", "<p>A <b>competency standard</b> describes precisely what a competent worker must be able to do and how this is checked. It is the common reference for the trainer (what to teach), the assessor (what to check), the employer (what to expect) and the worker (what to demonstrate). The competency-based approach starts from <b>real work</b> observed in enterprises, not from the content of school curricula.</p><p>Three linked documents are usually distinguished:</p><ul><li>the <b>occupational profile</b> (activity standard): what the worker does;</li><li>the <b>competency standard</b>: what they must be able to mobilise to do it;</li><li>the <b>assessment standard</b>: how, under what conditions and against which criteria competence is checked.</li></ul>"),
                        ("heading", "From activities to performance criteria"),
                        ("paragraph", "<ol><li><b>Activity</b>: a coherent area of work, often a 'unit' of the occupation. Example: carry out the structural work of a building.</li><li><b>Task</b>: a concrete, observable action with a beginning and an end. Example: build a concrete block wall.</li><li><b>Competency</b>: the ability to mobilise knowledge, skills and attitudes to perform tasks in a given context. It is written with an action verb: 'Build block masonry according to the drawing and good trade practice'.</li><li><b>Performance criteria</b>: what shows, in an observable and measurable way, that the competency is mastered. Example: 'the wall is plumb within 5 mm over 2 m'.</li><li><b>Conditions</b>: equipment, documents, degree of autonomy, safety rules, time.</li></ol><p>To collect this information, developers use <b>work situation analysis</b> (workshops with experienced practitioners, such as DACUM), <b>functional analysis</b> and observation in enterprises.</p>"),
                        ("glossary", {"term": "Performance criterion", "definition": "An observable, verifiable statement that specifies the expected level of quality in carrying out a task: result, accuracy, time, safety, compliance with procedures."}),
                        ("callout", {"kind": "tip", "title": "Writing a good competency", "text": "<p>An observable action verb (build, prepare, inspect), an object (a wall, a meal, personal care) and a context (on site, in the person's home). Avoid 'know' or 'understand', which cannot be observed directly.</p>"}),
                        ("heading", "The role of the social partners"),
                        ("paragraph", "<p>A standard is credible only if it is recognised by those who employ and those who practise the occupation. Employers' organisations and trade unions, often sitting with the state in bipartite or tripartite committees, contribute at every stage:</p><ul><li>identifying priority occupations and enterprise needs;</li><li>nominating practitioners for work analysis workshops;</li><li>validating the standard and its periodic revisions;</li><li>sitting on certification panels;</li><li>making sure occupational safety and health and workers' rights are included.</li></ul><p>For trade unions it is also a lever: a recognised standard can serve as the basis for job classification and pay scales in collective agreements.</p>"),
                        ("example", {"title": "A standard for masons in Mali", "situation": "<p>The programme wants to certify Malian masons, many of whom learned on building sites in Bamako or Côte d'Ivoire. The only existing document is an old, theory-based training curriculum. How can a standard suitable for RPL be built?</p>", "solution": "<ol><li>A committee brings together the construction employers' federation, the construction workers' union, the training centre and the ministry responsible for vocational training.</li><li>A two-day workshop gathers eight experienced masons and two site supervisors, who describe their real activities.</li><li>Four activities are selected (prepare the site, build foundations, build masonry, apply renders), each broken down into tasks.</li><li>Measurable performance criteria are written for each competency: plumb, alignment, mortar mix, use of protective equipment.</li><li>The committee validates the draft, which becomes the common basis for training, assessment and the panel.</li></ol>"}),
                    ],
                    "quiz": {
                        "title": "Check: competency standards",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "In a standard, 'the wall is plumb within 5 mm over 2 m' is:",
                                "kind": "single",
                                "explanation": "It is an observable, measurable statement of what good work looks like: a performance criterion.",
                                "choices": [
                                    {"text": "An activity", "correct": False, "feedback": "No: an activity is a broader area of work."},
                                    {"text": "A task", "correct": False, "feedback": "No: the task would be 'build the wall'; here we describe the expected result."},
                                    {"text": "A performance criterion", "correct": True, "feedback": "Correct: it is observable and measurable."},
                                ],
                            },
                            {
                                "text": "What roles can the social partners play in building and using a standard?",
                                "kind": "multiple",
                                "explanation": "Employers and unions bring knowledge of real work, validate the standard and sit on panels; they do not replace the awarding body.",
                                "choices": [
                                    {"text": "Nominating practitioners for work analysis workshops", "correct": True, "feedback": "Yes: they know the real work."},
                                    {"text": "Validating the standard and its revisions", "correct": True, "feedback": "Yes: this gives it legitimacy."},
                                    {"text": "Sitting on certification panels", "correct": True, "feedback": "Yes: their presence makes decisions more credible."},
                                    {"text": "Issuing certificates themselves instead of the awarding body", "correct": False, "feedback": "No: issuing certificates is the task of the accredited awarding body."},
                                ],
                            },
                            {
                                "text": "A good competency standard is built first from the content of existing training curricula.",
                                "kind": "true_false",
                                "explanation": "The competency-based approach starts from analysis of real work; training is then designed from the standard.",
                                "choices": [
                                    {"text": "True", "correct": False, "feedback": "No: it is the other way round; the curriculum follows from the standard."},
                                    {"text": "False", "correct": True, "feedback": "Correct: we start from the activities actually carried out in enterprises."},
                                ],
                            },
                        ],
                    },
                },
                {
                    "title": "A shared occupations repertoire: from ROME to ROAME",
                    "slug": "shared-occupations-repertoire-roame",
                    "summary": "Using a common repertoire of coded occupations to compare job offers and skills from one country to another.",
                    "minutes": 25,
                    "body": [
                        ("heading", "Speaking the same language about occupations"),
                        ("paragraph", "<p>The same occupation goes by different names in different countries, regions and companies: <i>maçon</i>, <i>maçon coffreur</i>, <i>albañil</i> in Spain, <i>bennay</i> in Moroccan Arabic. Conversely, one job title can cover different realities. To match a job offer in Spain with the profile of a worker in Dakar, you need a <b>common nomenclature</b>: a list of described and coded occupations to which local job titles are linked.</p>"),
                        ("heading", "ROME, the starting point"),
                        ("paragraph", "<p>The <b>ROME</b> (Répertoire opérationnel des métiers et des emplois, the operational directory of occupations and jobs) was created by the French public employment service (ANPE, then Pôle emploi, now France Travail) to record job offers and jobseekers and match them. It is organised into 14 broad fields identified by a letter (F for construction, H for industry, J for health, K for personal and community services…) and contains more than 500 occupation sheets, each coded with one letter and four digits.</p><p>Each sheet contains:</p><ul><li>the linked <b>job titles</b> used in job offers;</li><li>a <b>definition</b> and <b>entry requirements</b> (diplomas, licences);</li><li>the <b>competencies</b>: know-how and knowledge;</li><li>the <b>work contexts</b>: hours, conditions, types of employer;</li><li>possible <b>mobility</b> towards related occupations.</li></ul><p>Examples of codes: F1703 Masonry; H2913 Manual welding; K1302 Assistance to adults.</p>"),
                        ("heading", "ROAME, the programme's own adaptation"),
                        ("paragraph", "<p>For its partner countries in the Maghreb and West Africa, the programme has adapted ROME into a shared repertoire called <b>ROAME</b>. It is not an official international standard: it is a <b>common working tool</b> for the programme's employment services, training centres and social partners. The adaptation involves:</p><ul><li>keeping the ROME code structure, so that each ROAME sheet points to its original ROME sheet;</li><li>adding <b>local job titles</b> in French, Arabic, Darija and national languages;</li><li>merging or removing sheets with no local reality, and adding occupations specific to partner countries, notably in crafts and agriculture;</li><li>listing for each sheet the corresponding <b>national qualifications</b> in each country;</li><li>mapping to the ILO's international classification (ISCO-08) and, for EU countries, to the ESCO classification.</li></ul><p>Coding every job offer and every profile with a ROAME code makes it possible to compare, sheet by sheet, the competencies required and those held, and to identify the gaps to be filled through training or RPL.</p>"),
                        ("glossary", {"term": "ISCO-08 (CITP-08)", "definition": "The ILO's International Standard Classification of Occupations, 2008 version. It is the international statistical reference; for example, unit group 7212 covers welders and flame cutters and unit group 7112 covers bricklayers and related workers."}),
                        ("callout", {"kind": "warning", "title": "A shared code is not a licence to practise", "text": "<p>Two sheets with the same code describe a comparable occupation, not a right to practise. For <b>regulated occupations</b> (nursing assistant in France, licensed electrician, heavy goods vehicle driver…), the host country requires official recognition of the qualification or a national title. Always check the entry requirements stated for the destination country.</p>"}),
                        ("example", {"title": "Matching a Spanish job offer and a Malian mason", "situation": "<p>A construction company in Murcia publishes an offer for an <i>oficial de primera albañil</i> under a recruitment programme. At the employment service in Bamako, Moussa, 41, is registered as a 'mason' with fifteen years' experience on building sites.</p>", "solution": "<ol><li>The counsellor codes the offer: the Spanish job title is linked to ROAME sheet F1703 Masonry.</li><li>Moussa's profile carries the same code.</li><li>The counsellor compares competencies: the offer requires laying bricks and blocks and applying renders, which Moussa masters, as well as reading drawings and working on scaffolding with safety training, which he lacks.</li><li>He submits Moussa's application and offers him a safety module before departure.</li><li>The gaps are recorded in his file to prepare a future RPL application.</li></ol>"}),
                    ],
                    "quiz": {
                        "title": "Check: the shared repertoire",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "What is the main purpose of coding occupations in a shared repertoire?",
                                "kind": "single",
                                "explanation": "The common code links different job titles to the same occupation description, so offers and profiles can be compared across countries.",
                                "choices": [
                                    {"text": "Setting wages in all partner countries", "correct": False, "feedback": "No: wages are set by law, collective agreements and contracts."},
                                    {"text": "Matching job offers and skills profiles despite different job titles", "correct": True, "feedback": "Correct: this is the repertoire's main purpose."},
                                    {"text": "Awarding an occupational qualification", "correct": False, "feedback": "No: a repertoire describes occupations; it does not certify anyone."},
                                ],
                            },
                            {
                                "text": "ROAME is an official international standard adopted by the ILO.",
                                "kind": "true_false",
                                "explanation": "ROAME is the programme's adaptation of ROME for its partner countries; the ILO's international classification is ISCO-08.",
                                "choices": [
                                    {"text": "True", "correct": False, "feedback": "No: it is a common working tool of the programme."},
                                    {"text": "False", "correct": True, "feedback": "Correct: it is the programme's own adaptation, mapped to ISCO-08."},
                                ],
                            },
                            {
                                "text": "What does a ROME occupation sheet contain?",
                                "kind": "multiple",
                                "explanation": "A sheet describes the occupation (job titles, definition, entry requirements, competencies, contexts, mobility); it does not set pay.",
                                "choices": [
                                    {"text": "Linked job titles", "correct": True, "feedback": "Yes: the titles used in job offers."},
                                    {"text": "Competencies: know-how and knowledge", "correct": True, "feedback": "Yes: they allow a detailed comparison."},
                                    {"text": "Work contexts", "correct": True, "feedback": "Yes: hours, conditions and types of employer."},
                                    {"text": "The statutory minimum wage for the occupation", "correct": False, "feedback": "No: the sheet contains no pay information."},
                                ],
                            },
                        ],
                    },
                },
                {
                    "title": "Assessment and evidence",
                    "slug": "assessment-and-evidence",
                    "summary": "Choosing assessment methods and judging the quality of evidence: validity, reliability, fairness, sufficiency and currency.",
                    "minutes": 30,
                    "body": [
                        ("heading", "Assessing means gathering evidence"),
                        ("paragraph", "<p>In a competency-based approach, the assessor does not mark a paper: they gather enough <b>evidence</b> to judge whether the candidate meets the performance criteria in the standard. The outcome is 'competent' or 'not yet competent' for each unit.</p><p>Main methods:</p><ul><li><b>Direct observation</b> in the workplace: the strongest evidence of practical skills.</li><li><b>Simulation or practical exercise</b> in a workshop or training facility, when real observation is impossible, dangerous or intrusive.</li><li><b>Portfolio</b>: attestations, dated photos and videos, work products, payslips.</li><li><b>Technical interview</b>: to check knowledge, reasoning and work done elsewhere.</li><li><b>Third-party testimony</b>: a detailed attestation from an employer, supervisor or client.</li></ul><p>Combining several methods (<b>triangulation</b>) strengthens the decision.</p>"),
                        ("heading", "Qualities of good evidence"),
                        ("paragraph", "<ul><li><b>Validity</b>: the evidence relates to the target competency and the criteria in the standard: a written test does not prove someone can weld.</li><li><b>Reliability</b>: two assessors, or the same assessor on two occasions, would reach the same conclusion. Shared grids and instructions help.</li><li><b>Fairness</b>: the candidate is neither advantaged nor disadvantaged by factors unrelated to the competency (language, literacy, disability, sex, origin).</li><li><b>Sufficiency</b>: there is enough varied evidence to cover all the criteria.</li><li><b>Currency</b>: the competency is still held today, in line with current techniques and standards.</li><li><b>Authenticity</b>: the evidence is the candidate's own work.</li></ul>"),
                        ("glossary", {"term": "Portfolio", "definition": "A file organised by the candidate that gathers and explains their evidence of competence, arranged according to the activities in the standard."}),
                        ("callout", {"kind": "key_point", "title": "Adapt the methods, not the level", "text": "<p>A candidate with limited literacy can present evidence orally, with an interpreter or by demonstration. Fairness means removing barriers unrelated to the occupation, never lowering the performance criteria.</p>"}),
                        ("callout", {"kind": "tip", "title": "Keep evidence while working abroad", "text": "<p>The best time to gather evidence is <i>during</i> employment. From departure, advise workers to keep contracts, payslips, training certificates and dated photos of their work, and to ask for a detailed task attestation before leaving their employer.</p>"}),
                        ("example", {"title": "Afiavi, a Beninese home care assistant", "situation": "<p>Afiavi, 29, has worked for five years with older people, first in a private clinic and then in a home care service in Cotonou. She is aiming for a care assistant qualification before applying under a mobility programme. Her file contains: an attestation from the clinic, a letter from a family, undated photos and a first-aid certificate obtained in 2016.</p>", "solution": "<ul><li>The clinic's attestation, on letterhead, signed and listing her tasks, is <b>valid</b> and <b>authentic</b>.</li><li>The family's letter describes help with meals and personal hygiene; it will be confirmed at interview.</li><li>The undated photos with no context are not accepted.</li><li>The 2016 first-aid certificate is no longer <b>current</b>: Afiavi will take a refresher course.</li><li>To ensure <b>sufficiency</b>, the assessor organises a simulation in a training facility (hygiene assistance on a mannequin, bed-to-chair transfer, fall prevention) rather than observation in a person's home, to respect their privacy.</li><li>The interview is held in Fon with an interpreter, then in French: this is <b>fairness</b>. Two assessors use the same grid: this is <b>reliability</b>.</li></ul>"}),
                    ],
                    "quiz": {
                        "title": "Check: assessment and evidence",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "A ten-year-old employer attestation, covering techniques that have changed a lot, mainly raises a problem of:",
                                "kind": "single",
                                "explanation": "Currency checks that the competency is still held today, according to current techniques and standards.",
                                "choices": [
                                    {"text": "validity", "correct": False, "feedback": "Not mainly: the attestation may well relate to the target competency."},
                                    {"text": "currency", "correct": True, "feedback": "Correct: you need to check that the competency is still up to date."},
                                    {"text": "fairness", "correct": False, "feedback": "No: fairness concerns how the candidate is assessed."},
                                ],
                            },
                            {
                                "text": "Which methods can provide evidence in an RPL process?",
                                "kind": "multiple",
                                "explanation": "Observation, simulation and portfolio produce evidence; length of service alone does not.",
                                "choices": [
                                    {"text": "Direct observation in the workplace", "correct": True, "feedback": "Yes: it is the most direct evidence."},
                                    {"text": "Simulation or practical exercise", "correct": True, "feedback": "Yes: useful when real observation is impossible."},
                                    {"text": "Portfolio", "correct": True, "feedback": "Yes: provided the items are authentic and dated."},
                                    {"text": "The number of years of service alone", "correct": False, "feedback": "No: length of service gives access but does not prove competence."},
                                ],
                            },
                            {
                                "text": "To be fair, the performance criteria may be lowered for a candidate with limited literacy.",
                                "kind": "true_false",
                                "explanation": "The methods are adapted (oral, interpreter, demonstration), never the required level.",
                                "choices": [
                                    {"text": "True", "correct": False, "feedback": "No: this would take away the qualification's value."},
                                    {"text": "False", "correct": True, "feedback": "Correct: remove barriers unrelated to the occupation without lowering the standard."},
                                ],
                            },
                        ],
                    },
                },
                {
                    "title": "The certification process",
                    "slug": "certification-process",
                    "summary": "From application to certificate: panel, partial certification, quality assurance, recognition between countries and verifiable digital certificates.",
                    "minutes": 30,
                    "body": [
                        ("heading", "From application to certificate"),
                        ("paragraph", "<ol><li><b>Application and eligibility</b>: the candidate applies; the awarding body checks the link between their experience and the target qualification.</li><li><b>Guidance</b> (recommended): help in preparing the portfolio and the assessment.</li><li><b>Assessment</b>: review of the portfolio, practical exercise, interview, according to the assessment standard.</li><li><b>Panel</b>: made up of trainers and practitioners, representing employers and workers, it deliberates on the basis of the evidence and the assessors' reports.</li><li><b>Decision</b>: full or partial validation, or refusal, always with written reasons.</li><li><b>Issue of the certificate</b> and entry in the awarding body's register.</li><li><b>Appeal</b>: the candidate can challenge the decision through a procedure known in advance.</li></ol>"),
                        ("heading", "Partial certification"),
                        ("paragraph", "<p>When a qualification is divided into <b>competency units</b>, the panel may validate only some of them. The candidate receives a record of the units achieved and <b>recommendations</b> for obtaining the rest: short training, further experience, a new assessment. In many systems, validated units remain acquired. Partial validation is not a failure: it is a step along the way.</p>"),
                        ("glossary", {"term": "Competency unit", "definition": "A coherent set of competencies within a qualification that can be assessed and validated separately (in French: bloc de compétences)."}),
                        ("heading", "Building trust"),
                        ("paragraph", "<p><b>Quality assurance.</b> Trust in a certificate rests on verifiable rules: accredited awarding bodies and assessment centres, trained assessors, shared grids, double marking or sample checks of files, panels free of conflicts of interest, an appeals procedure, and monitoring of results by sex, age and nationality to detect possible bias. The European EQAVET framework offers reference indicators.</p><p><b>Mutual recognition.</b> A qualification is not automatically recognised in another country. Recognition relies on bilateral or regional <b>agreements</b>, on comparing standards (hence the value of a common repertoire such as ROAME) and on placing qualifications in <b>national qualifications frameworks</b>, themselves referenced to regional frameworks such as the European Qualifications Framework (EQF) or the African Continental Qualifications Framework (ACQF). These frameworks make levels easier to read but do not replace the recognition decision.</p><p><b>Verifiable digital certificates.</b> A signed digital certificate, for example in Open Badges 3.0 or Europass Digital Credentials format, states the issuer, the holder, the qualification, the units achieved and the date. An employer can check its authenticity online in seconds, without contacting the awarding body, which limits fraud and helps workers who have lost their documents.</p>"),
                        ("callout", {"kind": "warning", "title": "Protect the holder's data", "text": "<p>A verifiable certificate contains only the information needed. The holder decides with whom to share it; sensitive data such as migration status or health never appear on it.</p>"}),
                        ("example", {"title": "Moussa's certification in two steps", "situation": "<p>Moussa, a Malian mason, has applied through RPL for the mason qualification, made up of four units: prepare the site, build foundations, build masonry, apply renders. After the assessment, the panel finds that he masters the last three units but can neither read a setting-out drawing nor apply site safety rules.</p>", "solution": "<ol><li>The panel awards <b>partial validation</b> of the three units, with written reasons, and recommends a 60-hour module on reading drawings and safety.</li><li>Moussa takes the module at the training centre and, four months later, sits the assessment for the missing unit.</li><li>He obtains the full qualification, issued on paper and as a signed digital certificate.</li><li>Recruited by the company in Murcia, he sends the verification link. The human resources department confirms its authenticity and the units achieved online, and uses the ROAME sheet and the standard to place him in the job classification grid.</li></ol>"}),
                    ],
                    "quiz": {
                        "title": "Check: the certification process",
                        "pass_mark": 60,
                        "max_attempts": None,
                        "questions": [
                            {
                                "text": "What happens when a panel validates only some competency units?",
                                "kind": "single",
                                "explanation": "Partial validation records the units achieved and directs the candidate towards what is missing.",
                                "choices": [
                                    {"text": "The candidate must start the whole process again", "correct": False, "feedback": "No: the validated units are not lost."},
                                    {"text": "The units achieved are recorded and the panel recommends a path to obtain the others", "correct": True, "feedback": "Correct: it is a step along the way, not a failure."},
                                    {"text": "The candidate receives the full certificate anyway", "correct": False, "feedback": "No: the full certificate requires all units to be validated."},
                                ],
                            },
                            {
                                "text": "Which elements contribute to the quality assurance of a qualification?",
                                "kind": "multiple",
                                "explanation": "Quality rests on trained assessors, shared tools, impartial panels and the right of appeal.",
                                "choices": [
                                    {"text": "Trained assessors and shared grids", "correct": True, "feedback": "Yes: they ensure reliability."},
                                    {"text": "An appeals procedure known in advance", "correct": True, "feedback": "Yes: it protects candidates."},
                                    {"text": "Panels free of conflicts of interest", "correct": True, "feedback": "Yes: impartiality is essential."},
                                    {"text": "A panel made up only of the trainers who coached the candidate", "correct": False, "feedback": "No: that would be a conflict of interest, and practitioners would be missing."},
                                ],
                            },
                            {
                                "text": "A verifiable digital certificate lets an employer check its authenticity online without contacting the issuing body.",
                                "kind": "true_false",
                                "explanation": "The issuer's digital signature can be checked directly, which limits fraud and supports mobility.",
                                "choices": [
                                    {"text": "True", "correct": True, "feedback": "Correct: that is its main advantage."},
                                    {"text": "False", "correct": False, "feedback": "No: verification is possible without contacting the awarding body."},
                                ],
                            },
                        ],
                    },
                },
            ],
        },
    },
}
