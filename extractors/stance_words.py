"""The words stance detection reads: reporting verbs, claim, confirmation and denial cues, roles.

Each class is a set of normalized word forms (extractors.arabic folding, so «أكّد» and «اكد»
are one entry; a token matches through any of its clitic-split readings, so «وأكدت» finds
«اكدت»). An entry ending in `*` is a prefix («استهدف*»: استهدفت، استهدفوا، استهدافها). These
are words of the two languages, not of one topic: named actors and factions come from the
gazetteer, never from here.
"""

from __future__ import annotations

from functools import lru_cache

from extractors.arabic import normalize_word

# ---- the stance-bearing verbs and nouns ------------------------------------------------------

SAY = """
said says say saying told tells tell stated announced announces announce announcing declared declares
added adding noted wrote writes tweeted posted explained revealed insisted insists stressed asserted asserts
affirmed affirms reported informed indicated released issued published detailing detailed according
قال قالت يقول تقول قائلا قائله قالوا اعلن اعلنت يعلن تعلن اعلنوا معلنا معلنه افاد افادت يفيد تفيد
ذكر ذكرت يذكر تذكر ذاكرا اوضح اوضحت يوضح توضح موضحا موضحه اضاف اضافت يضيف تضيف مضيفا مضيفه اشار اشارت
يشير تشير مشيرا مشيره كشف كشفت يكشف تكشف كاشفا صرح صرحت يصرح تصرح مصرحا بينت لفت لفتت تابع تابعت شدد
شددت يشدد تشدد مشددا نشر نشرت اصدر اصدرت وفق وفقا بحسب حسب نقلا ابلغ ابلغت كتب كتبت
غرد غردت تحدث تحدثت زعم زعمت يزعم تزعم زاعما ادعي ادعت يدعي تدعي اورد اوردت
"""

CONFIRM = """
confirmed confirms confirm confirming confirmation acknowledged acknowledges acknowledge acknowledging admitted
admits admit admitting verified verifies verify corroborated
اكد اكدت يوكد توكد اكدوا موكدا تاكيد اعترف اعترفت يعترف تعترف معترفا اقر اقرت يقر تقر
"""

DENY = """
deny denies denied denying denial denials refute refutes refuted rebut rebuts rebutted dispute disputes
disputed disputing debunk debunks debunked debunking
نفي نفت نفوا ينفي تنفي ننفي ينفون نافيا نافيه نفيه نفيها دحض دحضت يدحض فند فندت يفند تفند
"""

REJECT = """
reject rejects rejected rejecting dismiss dismisses dismissed dismissing rebuffed contradicted
رفض رفضت يرفض ترفض رفضه رافضا استنكر
"""

FALSE = """
false untrue incorrect baseless unfounded groundless fabricated fabrication fabrications fake lie lies lying
propaganda misinformation disinformation falsehood falsehoods bogus figment
عاريه
كاذب كاذبه اكاذيب اكذوبه افتراء افتراءات مفبرك مفبركه ملفق ملفقه مختلق مختلقه مضلل مضلله تضليل شايعات اشاعات
"""

# «لا صحة»، «عدم صحة»، «غير صحيحة»، «لا أساس»، «لا علاقة»، "not true", "no basis": a negation before these.
NEGATED_FALSE = """
true truth basis involved involvement link
صحه صحيح صحيحه اساس علاقه صله شان
"""

CLAIM = "claim claims claimed claiming"
RESPONSIBILITY = "responsibility credit مسووليه مسووليته مسووليتها مسووليتهم"
ADOPT = "تبني تبنت تبنوا يتبني تتبني يتبنون تبنيه تبنيها متبنيا"  # «تبنّى»: claimed (an attack)

ATTRIBUTE = """
blamed blames blame blaming accused accuses accuse accusing attributed attributes attributing behind
اتهم اتهمت يتهم تتهم اتهموا متهما حمل حملت يحمل تحمل محملا وراء نسب نسبت
"""

ALLEGATION = """
claim claims allegation allegations accusation accusations report reports rumor rumors rumour rumours
assertion assertions
مزاعم ادعاء ادعاءات اتهام اتهامات انباء تقارير شايعات اشاعات روايه تصريحات
"""

# ---- what the statement is about --------------------------------------------------------------

# The speaker's own operation: done by someone, to something.
ACTION = """
attacked attacking targeted targeting struck striking launched launching fired firing destroyed destroying
bombed bombing shelled shelling killed killing seized seizing captured capturing ambushed detonated detonating raided
stormed conducted carried executed took taken confronted inflicted neutralized neutralised eliminated
assassinated overran sank sunk hit hitting blew broke broken recaptured retook
استهدف* استهداف يستهدف* تستهدف* نستهدف* هاجم* يهاجم* تهاجم* مهاجمه قصف* يقصف* تقصف* شن شنت شنوا يشن تشن شنها
نفذ نفذت نفذوا ينفذ تنفذ تنفيذ اطلق اطلقت اطلقوا يطلق تطلق دمر دمرت دمروا يدمر تدمر تدمير فجرت
فجروا تفجير ضرب ضربت ضربوا يضرب تضرب حيد حيدت يحيد تحييد اقتحم* يقتحم* تقتحم* سيطر* يسيطر* تسيطر*
استولي استولت استولوا يستولي تستولي استيلاء الاستيلاء قتل قتلت قتلوا يقتل تقتل خاض خاضت خاضوا اوقع اوقعت
اصابت اغتال اغتالت اشتبك اشتبكت قام قامت قاموا يقوم تقوم
"""

# Stopping the other side's attack: a claim in a faction's mouth, a confirmation of the attack in an army's.
DEFEND = """
intercepted intercepting intercept downed repelled repelling thwarted foiled
اعترض اعترضت اعتراض يعترض تعترض اسقط اسقطت اسقطوا اسقاط يسقط تسقط تصدت تصدي يتصدي تتصدي احبط احبطت احباط
صد صدت
"""

# That something happened (to someone).
EVENT = """
attack attacks strike strikes airstrike airstrikes drone drones uav uavs missile missiles rocket rockets
explosion explosions blast blasts bomb bombs bombing killed dead died death deaths wounded injured injuries
injury casualties casualty victims damage damaged crashed crash fell exploded hit targeted launched fired
intercepted incident assault ambush clashes shelling raid raids operation operations sirens debris bodies
shot
هجوم هجمات هجوما استهداف قصف غاره غارات ضربه ضربات صاروخ* صواريخ مسيره مسيرات طايره طايرات انفجار تفجير
مقتل قتل* قتيل* اصابه اصابات اصيب اصيبوا مصاب* جرحي جريح اضرار تضرر سقوط سقط سقطت تعرض تعرضت وقوع
اطلاق اعتراض كمين اشتباك* عمليه عمليات حريق دوي صفارات ضحايا شظايا قذايف قذيفه عبوه عبوات ناسفه
"""

# That something took place at all ("no such attack took place", «لم يحدث»).
OCCUR = "happened occurred happen occur وقع يقع حدث يحدث حصل يحصل جري يجري"

# ---- who speaks -------------------------------------------------------------------------------

# Pronouns by which a statement names its own speaker as the doer ("said it attacked").
SELF = "it its itself they their them themselves we our ours انها انه انهم انهما نحن"
# Nouns a possessive pronoun makes the speaker's own: «قواتها»، «عناصره»، «مقاتلينا».
FORCES = """
forces fighters troops members units soldiers men navy mujahideen
قوات قوه عناصر مقاتلي مقاتلو مقاتلين مجاهدي مجاهدو مجاهدين جنود وحدات ابطال سلاح دفاعات طيران كوادر رجال
"""
# Words only a group uses of its own fighters: «مجاهدو المقاومة».
OWN_FIGHTERS = "mujahideen مجاهدو مجاهدي مجاهدين ابطال"
# A definite group noun in a faction's statement names the faction itself ("the movement launched").
GROUP_ANAPHOR = "group movement militia organization organisation جماعه حركه حزب تنظيم فصيل كتايب مقاومه"

GROUP = """
group militant militants rebel rebels militia militias faction factions movement organization organisation
brigade brigades fighters insurgent insurgents resistance jihadist jihadists caliphate wing paramilitary
guerrilla guerrillas mujahideen
جماعه حركه فصايل فصيل تنظيم كتايب مقاومه مسلحون مسلحين متمردين متمردون ميليشيا مليشيا ميليشيات مليشيات
حزب الجناح مجاهدو مجاهدي مجاهدين
"""

OFFICIAL = """
official officials spokesman spokesperson spokeswoman spokesmen ministry minister army military police
authorities authority command government president premier secretary commander department office council
mission embassy ambassador navy governor administration cabinet presidency chief observatory monitor hospital
medics idf
مسوول مسوولون مسوولين مسوولا متحدث ناطق وزاره وزير جيش شرطه سلطات قياده حكومه رييس رياسه خليه جهاز مجلس
سفير سفاره بعثه اركان محافظ محافظه قايد مكتب دايره مديريه مرصد مستشفي دفاع داخليه خارجيه
"""

# "source(s)": official only with a qualifier («مصدر أمني», "security sources").
SOURCE = "source sources مصدر مصادر"
SOURCE_QUALIFIER = """
security military army police official officials government intelligence medical hospital defense defence
امني امنيه عسكري عسكريه حكومي حكوميه رسمي رسميه مسوول طبي طبيه جيش شرطه استخباري استخباراتي
"""

MEDIA = """
media report reports reportedly newspaper newspapers paper outlet outlets television tv broadcaster channel
press journalist journalists correspondent reporter reporters news network website footage
اعلام وسايل تقارير تقرير انباء صحيفه صحف قناه موقع مواقع وكاله مراسل صحفي صحفيون منصات التواصل اذاعه
تلفزيون شبكه بث
"""

WITNESS = """
witness witnesses eyewitness eyewitnesses resident residents locals villager villagers activist activists
analyst analysts expert experts
شهود شاهد عيان سكان اهالي مواطن مواطنون ناشط ناشطون محلل محللون خبير
"""

# ---- what takes a statement's stance away ------------------------------------------------------

NEGATION = """
not no never none nobody neither nor cannot unable without yet
لم ولم فلم لن ولن لا ولا ليس ليست وليس عدم غير دون بدون
"""
NEGATION_SUFFIX = "n't"  # didn't, hasn't, can't

FUTURE = """
will shall vowed vows vow threatened threatens threaten warned warns warn continue continues continuing
سوف استمرار الاستمرار مواصله توعد توعدت يتوعد هدد هددت يهدد حذر حذرت يحذر قادم قادمه حتمي
ستستمر سيستمر سنستمر ستواصل سيواصل سنواصل سترد سيرد سنرد سيكون ستكون سنبقي ستبقي سيبقي
"""
HEDGE = "may might possibly possible perhaps ربما يحتمل محتمل"
EXPECT = "expected expects expect trying tries attempting seeking unable متوقع المتوقع يتوقع"
BE_IMPERFECT = "تكون يكون"  # «قد تكون تعرضت»: may have been
DESPITE = "despite notwithstanding رغم برغم"

CONTRAST = "but however لكن ولكن لكنه لكنها لكنهم"
# «إلا أن»، «غير أن»، «بيد أن»: contrast when the second word is a complementizer.
CONTRAST_LEAD = "الا غير بيد"
COMPLEMENTIZER = "that ان انه انها انهم بان بانه بانها فان وان"

# Announcing an operation by naming it: «أعلن الجيش تحييد…», «كشف الحزب عن استهداف…» (not «أفاد مصدر باستهداف…»).
ANNOUNCE = "اعلن اعلنت يعلن تعلن اعلنوا معلنا كشف كشفت يكشف تكشف اكد اكدت يوكد توكد اكدوا"

# Words a speaker phrase ends before (Arabic puts the speaker right after the verb: «أعلن X في بيان»).
SPEAKER_STOP = """
that in on at after before during via through with from for by when while which who
في عن علي عبر بعد قبل خلال منذ الي من اليوم امس الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه السبت صباح
مساء فجر ليل ظهر الليله ارتفاع فيه فيها لما كل
"""
# Words a speaker phrase sheds at either end ("has", "also", "Earlier").
SPEAKER_TRIM = """
has have had also earlier later meanwhile separately but and however while then now firmly further
كما وبدورها بدوره بدورها من جانبه جانبها
was were is are been being once again already
"""


def _entries(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    words, prefixes = set(), []
    for raw in text.split():
        word = normalize_word(raw.rstrip("*")).lower()
        (prefixes.append(word) if raw.endswith("*") else words.add(word))
    return frozenset(words), tuple(prefixes)


class WordClass:
    """One class of cue words: exact forms and prefixes."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.words, self.prefixes = _entries(text)

    def has(self, form: str) -> bool:
        return form in self.words or (bool(self.prefixes) and form.startswith(self.prefixes))


CLASSES = {name: WordClass(name, text) for name, text in {
    "say": SAY, "confirm": CONFIRM, "deny": DENY, "reject": REJECT, "false": FALSE,
    "negated_false": NEGATED_FALSE, "claim": CLAIM, "responsibility": RESPONSIBILITY, "adopt": ADOPT,
    "attribute": ATTRIBUTE, "occur": OCCUR, "allegation": ALLEGATION, "action": ACTION, "defend": DEFEND,
    "event": EVENT,
    "self": SELF, "forces": FORCES, "own_fighters": OWN_FIGHTERS, "group_anaphor": GROUP_ANAPHOR,
    "group": GROUP, "official": OFFICIAL, "source": SOURCE, "source_qualifier": SOURCE_QUALIFIER,
    "media": MEDIA, "witness": WITNESS, "negation": NEGATION, "future": FUTURE, "hedge": HEDGE,
    "expect": EXPECT, "be_imperfect": BE_IMPERFECT, "despite": DESPITE, "contrast": CONTRAST,
    "contrast_lead": CONTRAST_LEAD, "complementizer": COMPLEMENTIZER, "announce": ANNOUNCE,
    "speaker_stop": SPEAKER_STOP, "speaker_trim": SPEAKER_TRIM,
}.items()}

_POSSESSIVES = ("هما", "هم", "ها", "نا", "ه")
_OBJECT_PRONOUNS = ("ها", "هم", "ه")


@lru_cache(maxsize=65536)
def classes_of(forms: tuple[str, ...]) -> frozenset[str]:
    """Every class any reading of a token belongs to (remembered: headlines repeat their words)."""
    found = {name for name, cls in CLASSES.items() for form in forms if cls.has(form)}
    if any(form.endswith(NEGATION_SUFFIX) for form in forms):
        found.add("negation")
    if any(_own_forces(form) for form in forms):
        found.add("own_forces")
    if any(_first_person_act(form) for form in forms):
        found.add("own_act")
    for form in forms:   # «شنتها»، «أطلقوها»: an operation verb carrying its object pronoun
        for pronoun in _OBJECT_PRONOUNS:
            if form.endswith(pronoun) and len(form) - len(pronoun) >= 3:
                found.update(name for name in ("action", "defend") if form[: -len(pronoun)] in CLASSES[name].words)
    return frozenset(found)


def _own_forces(form: str) -> bool:
    """«قواتها»، «عناصره»، «مقاتلينا»: a force noun with a pronoun attached, the speaker's own."""
    forces = CLASSES["forces"]
    return any(form.endswith(p) and len(form) > len(p) + 2 and forces.has(form[: -len(p)]) for p in _POSSESSIVES)


def _first_person_act(form: str) -> bool:
    """«استهدفنا»، «نفذنا»: an operation verb in the first person plural."""
    return form.endswith("نا") and len(form) > 4 and CLASSES["action"].has(form[:-2])
