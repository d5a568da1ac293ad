from ninja import Router

router = Router(tags=["技术转移机构与技术经纪人"])
