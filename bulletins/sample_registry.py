"""The registry of people and units named in the sample issue (2023 第13期), as of April 2023.

Titles are exactly as the sample writes them, so proofreading the sample finds nothing.
`load_sample_registry()` is idempotent; `load_initial_data` calls it.
"""

from django.db import transaction

from .models import Person, PersonTitle, Unit

PEOPLE = [
    ("高鹏凌", "市委副书记、市长"),
    ("李映", "市人大常委会主任"),
    ("侯中文", "市政协主席"),
    ("陶斌", "市委常委、宣传部部长"),
    ("熊文琦", "市委常委、组织部部长"),
    ("赵建仁", "副市长"),
    ("何渝", "副市长、市公安局局长"),
]

K = Unit.Kind
UNITS = [
    ("市委宣传部", "", K.PARTY),
    ("市委巡察办", "", K.PARTY),
    ("巴中日报社", "", K.INSTITUTION),
    ("市人力资源和社会保障局", "市人社局", K.GOVERNMENT),
    ("市机关事务服务中心", "", K.GOVERNMENT),
    ("市住房和城乡建设局", "市住建局", K.GOVERNMENT),
    ("市残疾人联合会", "市残联", K.ORGANISATION),
    ("市中医院", "巴中市中医院", K.INSTITUTION),
    ("市税务局", "国家税务总局巴中市税务局", K.GOVERNMENT),
    ("市公安局", "", K.GOVERNMENT),
    ("市生态环境保护委员会办公室", "市环委办", K.GOVERNMENT),
    # Not "市创建办": in the sample that word is 湘潭's office, in 他山之石.
    ("巴中市创建全国文明城市工作指挥部办公室", "市创文办", K.GOVERNMENT),
    ("巴州区", "", K.DISTRICT),
    ("恩阳区", "", K.DISTRICT),
    ("玉堂街道", "", K.STREET),
    ("江北街道", "", K.STREET),
    ("天星湖社区", "", K.STREET),
    ("佛江社区", "", K.STREET),
    ("红岩社区", "", K.STREET),
    ("攀枝花市", "", K.OTHER_CITY),
    ("湘潭市", "", K.OTHER_CITY),
]


@transaction.atomic
def load_sample_registry():
    """Create what is missing; returns (people created, units created). Existing rows are left as they are."""
    people_created = units_created = 0
    for name, title in PEOPLE:
        person, created = Person.objects.get_or_create(name=name, defaults={"title": title})
        people_created += created
        PersonTitle.objects.get_or_create(person=person, title=title)
    for name, short_names, kind in UNITS:
        _, created = Unit.objects.get_or_create(name=name, defaults={"short_names": short_names, "kind": kind})
        units_created += created
    return people_created, units_created
