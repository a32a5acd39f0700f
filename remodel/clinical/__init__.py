"""The clinical pathway: DXA monitoring (:mod:`~remodel.clinical.dxa`), rules that start a therapy
from a scan (:mod:`~remodel.clinical.pathway`) and fracture risk with falls
(:mod:`~remodel.clinical.fracture`)."""
