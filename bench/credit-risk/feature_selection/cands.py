B = lambda **kw: dict(kw)
g0 = [("baseline", dict())]
PD = ["NumberOfTime30-59DaysPastDueNotWorse","NumberOfTime60-89DaysPastDueNotWorse","NumberOfTimes90DaysLate"]
M1 = {**{c: 1 for c in PD}, "age": -1}
M2 = {**M1, "MonthlyIncome": -1}
M3 = {**M2, "RevolvingUtilizationOfUnsecuredLines": 1}
g1 = [
  ("mono_M1_basic", dict(mono=M1, params=dict(monotone_constraints_method="basic"))),
  ("mono_M1_intermediate", dict(mono=M1, params=dict(monotone_constraints_method="intermediate"))),
  ("mono_M1_advanced", dict(mono=M1, params=dict(monotone_constraints_method="advanced"))),
  ("mono_M2_intermediate", dict(mono=M2, params=dict(monotone_constraints_method="intermediate"))),
  ("mono_M2_advanced", dict(mono=M2, params=dict(monotone_constraints_method="advanced"))),
  ("mono_M3_intermediate", dict(mono=M3, params=dict(monotone_constraints_method="intermediate"))),
  ("mono_age_only_intermediate", dict(mono={"age": -1}, params=dict(monotone_constraints_method="intermediate"))),
  ("fe_pd_nan", dict(fe={"pd_nan"})),
  ("fe_pd_flag", dict(fe={"pd_flag"})),
  ("fe_pd_nan_flag", dict(fe={"pd_nan_flag"})),
  ("fe_dr_split", dict(fe={"dr_split"})),
  ("fe_dr_split_keep", dict(fe={"dr_split_keep"})),
  ("fe_inc_na", dict(fe={"inc_na"})),
  ("fe_wlate", dict(fe={"wlate"})),
  ("fe_ru_cap", dict(fe={"ru_cap"})),
  ("fe_ru_flag", dict(fe={"ru_flag"})),
  ("fe_late_any", dict(fe={"late_any"})),
  ("p_max_bin_511", dict(params=dict(max_bin=511))),
  ("p_max_bin_1023", dict(params=dict(max_bin=1023))),
  ("p_min_data_in_bin_10", dict(params=dict(min_data_in_bin=10))),
  ("p_min_hess_1", dict(params=dict(min_sum_hessian_in_leaf=1.0))),
  ("p_min_hess_5", dict(params=dict(min_sum_hessian_in_leaf=5.0))),
  ("p_l1_1", dict(params=dict(lambda_l1=1.0))),
  ("p_l1_5", dict(params=dict(lambda_l1=5.0))),
  ("p_min_gain_0.5", dict(params=dict(min_gain_to_split=0.5))),
  ("p_min_gain_2", dict(params=dict(min_gain_to_split=2.0))),
  ("p_max_depth_4", dict(params=dict(max_depth=4))),
  ("p_max_depth_5", dict(params=dict(max_depth=5))),
  ("p_xentropy", dict(params=dict(objective="cross_entropy"))),
  ("p_goss", dict(params=dict(data_sample_strategy="goss", bagging_fraction=1.0, bagging_freq=0))),
  ("p_bag_0.6", dict(params=dict(bagging_fraction=0.6))),
  ("p_bag_1.0", dict(params=dict(bagging_fraction=1.0, bagging_freq=0))),
  ("p_ff_bynode_0.6", dict(params=dict(feature_fraction=1.0, feature_fraction_bynode=0.6))),
  ("p_lambda_l2_1", dict(params=dict(lambda_l2=1.0))),
  ("p_lr0.01_r1200", dict(params=dict(learning_rate=0.01), rounds=1200)),
  ("p_lr0.015_r800", dict(params=dict(learning_rate=0.015), rounds=800)),
  ("p_min_data_300", dict(params=dict(min_data_in_leaf=300))),
  ("p_leaves_10", dict(params=dict(num_leaves=10))),
]
g2 = [(f"baseline_seed{s}", dict(params=dict(seed=s))) for s in (1,2,3)] + [
  ("fe_wlate+late_any", dict(fe={"wlate","late_any"})),
  ("fe_wlate+ru_cap", dict(fe={"wlate","ru_cap"})),
  ("fe_wlate+late_any+ru_cap", dict(fe={"wlate","late_any","ru_cap"})),
  ("fe_wlate+late_any+ru_cap+pd_nan", dict(fe={"wlate","late_any","ru_cap","pd_nan"})),
  ("fe_wlate+late_any+ru_cap+l1_5", dict(fe={"wlate","late_any","ru_cap"}, params=dict(lambda_l1=5.0))),
  ("fe_wlate+l1_5", dict(fe={"wlate"}, params=dict(lambda_l1=5.0))),
  ("blend_rank_leaves7_15_31", dict(blend=[dict(params=dict(num_leaves=7)), dict(), dict(params=dict(num_leaves=31))])),
  ("blend_rank_base_rf", dict(blend=[dict(), dict(params=dict(boosting="rf", num_leaves=63, min_data_in_leaf=50, bagging_fraction=0.632, feature_fraction=0.5), rounds=300)], weights=[0.7,0.3])),
]
W = {"wlate"}
g3 = [
  ("fe_pd_max", dict(fe={"pd_max"})),
  ("fe_util_lines", dict(fe={"util_lines"})),
  ("fe_lines_per_age", dict(fe={"lines_per_age"})),
  ("fe_wlate+ru_cap+l1_5", dict(fe={"wlate","ru_cap"}, params=dict(lambda_l1=5.0))),
  ("fe_wlate+l1_5+bag0.6", dict(fe=W, params=dict(lambda_l1=5.0, bagging_fraction=0.6))),
  ("fe_wlate+l1_5+lr0.015_r800", dict(fe=W, params=dict(lambda_l1=5.0, learning_rate=0.015), rounds=800)),
  ("fe_wlate+l1_5+min_data_300", dict(fe=W, params=dict(lambda_l1=5.0, min_data_in_leaf=300))),
  ("fe_wlate+l1_10", dict(fe=W, params=dict(lambda_l1=10.0))),
  ("fe_wlate+l1_5+mono_M1_adv", dict(fe=W, mono=M1, params=dict(lambda_l1=5.0, monotone_constraints_method="advanced"))),
]
WR = {"wlate","ru_cap"}
g4 = [
  ("fe_wlate+ru_cap+l1_5+min_data_300", dict(fe=WR, params=dict(lambda_l1=5.0, min_data_in_leaf=300))),
  ("blend_seedbag3_wlate+ru_cap+l1_5", dict(blend=[dict(fe=WR, params=dict(lambda_l1=5.0, seed=s)) for s in (42,1,2)])),
  ("blend_wlate+ru_cap+l1_5_leaves7_15_31", dict(blend=[dict(fe=WR, params=dict(lambda_l1=5.0, num_leaves=n)) for n in (7,15,31)])),
  ("blend_featsets_WR_l1_5+rawl1_5+latesany", dict(blend=[dict(fe=WR, params=dict(lambda_l1=5.0)), dict(params=dict(lambda_l1=5.0, seed=1)), dict(fe={"late_any","pd_max","inc_na","ru_flag"}, params=dict(lambda_l1=5.0, seed=2))])),
]
TOP = [("fe_wlate", dict(fe=W)), ("fe_wlate+ru_cap", dict(fe=WR)), ("fe_wlate+l1_5", dict(fe=W, params=dict(lambda_l1=5.0))),
       ("fe_wlate+ru_cap+l1_5", dict(fe=WR, params=dict(lambda_l1=5.0))),
       ("fe_wlate+l1_5+min_data_300", dict(fe=W, params=dict(lambda_l1=5.0, min_data_in_leaf=300))),
       ("fe_wlate+late_any+ru_cap+l1_5", dict(fe={"wlate","late_any","ru_cap"}, params=dict(lambda_l1=5.0))),
       ("p_l1_5", dict(params=dict(lambda_l1=5.0))),
       ("fe_wlate+ru_cap+l1_5+min_data_300", dict(fe=WR, params=dict(lambda_l1=5.0, min_data_in_leaf=300)))]
g5 = []
for n, s in TOP:
    for seed in (1,2,3):
        s2 = dict(s); s2["params"] = {**s.get("params", {}), "seed": seed}
        g5.append((f"{n}_seed{seed}", s2))
WLR = {"wlate","late_any","ru_cap"}
_g6 = [
  ("fe_wlate+late_any+ru_cap+l1_5+min_data_300", dict(fe=WLR, params=dict(lambda_l1=5.0, min_data_in_leaf=300))),
  ("fe_wlate+late_any+ru_cap+inc_na+l1_5", dict(fe=WLR|{"inc_na"}, params=dict(lambda_l1=5.0))),
  ("fe_wlate+late_any+ru_cap+pd_max+l1_5", dict(fe=WLR|{"pd_max"}, params=dict(lambda_l1=5.0))),
  ("fe_wlate+late_any+ru_cap+l1_5+lr0.015_r800", dict(fe=WLR, params=dict(lambda_l1=5.0, learning_rate=0.015), rounds=800)),
]
g6 = []
for n, s in _g6:
    for seed in (42,1,2,3):
        s2 = dict(s); s2["params"] = {**s.get("params", {}), "seed": seed}
        g6.append((n if seed == 42 else f"{n}_seed{seed}", s2))
