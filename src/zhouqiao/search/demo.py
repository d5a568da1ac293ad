"""Demo: a handful of patent documents for 查重/查新 to compare against (fictional, written for the
demo's achievements' fields; imported through the patent import, as a system administrator
would), then the index is rebuilt last, after every other domain has written its records (the
demo writes many of them directly, past the services that schedule index updates)."""

from django.contrib.auth import get_user_model

from zhouqiao.search import indexing, patents

# 专利号,名称,摘要,IPC,申请人,申请日 — the columns of the patent import (search.patents).
DEMO_PATENTS = """专利号,名称,摘要,IPC,申请人,申请日
CN114361207A,一种碳化硅功率模块的低温烧结封装方法,采用纳米银膏在低温下烧结连接碳化硅芯片与基板，降低封装热阻，提高功率循环寿命，适用于新能源汽车电驱系统。,H01L 21/60,吉林大学,2022-01-18
CN115083526B,一种车用功率模块双面散热结构,在功率模块上下表面设置铜基散热板与液冷流道，降低电驱系统温升，提高电机控制器功率密度。,H01L 23/473,中国第一汽车股份有限公司,2022-06-09
CN113957338A,一种玉米淀粉酶法液化糖化工艺,以耐高温α-淀粉酶和糖化酶分段处理玉米淀粉乳，提高葡萄糖得率，副产物玉米蛋白粉用于饲料，提高加工附加值。,C12P 19/14,吉林农业大学,2021-10-22
CN114717412A,一种秸秆纤维素原料的预处理方法,采用稀碱与蒸汽爆破联合处理玉米秸秆，脱除木质素，提高纤维素酶解效率，适用于县域秸秆综合利用。,C08H 8/00,中国科学院长春应用化学研究所,2022-04-02
CN115236984A,一种五轴数控机床几何误差补偿方法,基于激光跟踪仪测量的空间误差模型，对五轴联动加工中心的旋转轴几何误差进行实时补偿，提高加工精度稳定性。,G05B 19/404,长春理工大学,2022-08-16
CN114454170A,一种工业机器人柔性装配的力位混合控制方法,结合六维力传感器与视觉定位，实现机器人在离散制造装配中的柔顺插装，降低装配失败率。,B25J 9/16,吉林大学,2022-02-25
CN115519831A,一种碳纤维复合材料汽车车身部件的快速成型方法,采用快速固化环氧树脂与高压树脂传递模塑工艺成型碳纤维复合材料车身部件，实现车体轻量化。,B29C 70/48,中国第一汽车股份有限公司,2022-11-11
CN113822590A,一种中药配方颗粒的质量一致性评价方法,建立特征图谱与多指标成分含量测定相结合的评价方法，控制中药配方颗粒批间质量一致性。,G01N 30/02,长春中医药大学,2021-09-14
CN114990512A,一种乙烯裂解装置的在线结焦监测方法,根据裂解炉管外壁温度与压降数据建立结焦预测模型，延长乙烯装置运行周期。,C10G 9/16,吉林化工学院,2022-05-30
CN115612743A,一种量子点背光模组及其制备方法,将量子点薄膜与导光板集成，提高液晶显示的色域与亮度均匀性。,G02F 1/13357,中国科学院长春光学精密机械与物理研究所,2022-12-06
"""


def create_demo_data(*, now) -> dict[str, int]:
    admin = get_user_model().objects.filter(username="system_admin").first()
    imported = patents.import_csv(DEMO_PATENTS.encode(), actor=admin, filename="演示专利.csv", now=now)
    return {
        "patent documents": imported.created + imported.updated,
        "search documents": indexing.rebuild(now=now),
    }
